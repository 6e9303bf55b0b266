using System.Diagnostics;
using Tollgate.Core.Stages;
using Tollgate.Release.Deployment;

namespace Tollgate.Release.Shadow;

/// <summary>
/// Replays rows at a fixed rate to the candidate and, for the same row at the same moment, to production, so both
/// see the same load. At most a few requests are in flight per model; a slow model falls behind the schedule rather
/// than piling up connections.
/// </summary>
public sealed class ReplayClient : IDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 16 }) { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => client.Dispose();

    public async Task<IReadOnlyList<Exchange>> RunAsync(IReadOnlyList<ReplayRow> rows, string candidateUrl, string? productionUrl, double ratePerSecond, IStageLog log, CancellationToken ct)
    {
        var results = new Exchange[rows.Count];
        using var gate = new SemaphoreSlim(8);
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var due = TimeSpan.FromSeconds(i / ratePerSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, ct);
            }

            await gate.WaitAsync(ct);
            var index = i;
            tasks.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        var row = rows[index];
                        var json = row.Row.ToJsonString(); // serialised once: both requests carry the same bytes
                        var candidate = SendAsync(candidateUrl, json, ct);
                        var production = productionUrl is null ? Task.FromResult<SideResult?>(null) : SendAsync(productionUrl, json, ct)!;
                        results[index] = new Exchange(row.Row, row.Truth, await production, (await candidate)!);
                    }
                    finally
                    {
                        gate.Release();
                    }
                },
                ct));
            log.Progress("replay", (i + 1) / (double)rows.Count);
        }

        await Task.WhenAll(tasks);
        return results;
    }

    private async Task<SideResult?> SendAsync(string url, string json, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(url + "/v1/predict", content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var ms = clock.Elapsed.TotalMilliseconds;
            var prediction = response.IsSuccessStatusCode ? PredictionReader.Read(body) : null;
            return new SideResult(ms, (int)response.StatusCode, prediction?.Score, prediction?.Label, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new SideResult(null, null, null, null, ex.Message);
        }
    }
}
