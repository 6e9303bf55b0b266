using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Errors;

namespace Tollgate.Release.Deployment;

/// <summary>
/// Asks a model server over HTTP whether it can take traffic: <c>/health/ready</c> first, then a smoke set of real rows
/// through <c>/v1/predict</c>. Nothing gets traffic before both pass.
/// </summary>
public sealed class ServerProbe : IDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Between two <c>/health/ready</c> polls. <value>50 ms.</value></summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Between two looks at whether the server still runs while it is not ready. <value>500 ms.</value></summary>
    public static readonly TimeSpan LivenessInterval = TimeSpan.FromMilliseconds(500);

    public void Dispose() => client.Dispose();

    /// <summary>
    /// Waits until <c>/health/ready</c> answers 200. Fails early when <paramref name="isRunning"/> says the server died.
    /// Returns null when ready, else why not.
    /// </summary>
    public async Task<string?> WaitReadyAsync(string url, TimeSpan timeout, Func<Task<bool>> isRunning, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        var lastLook = -LivenessInterval;
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await client.GetAsync(url + "/health/ready", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return null;
                }

                last = $"/health/ready answered {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "/health/ready timed out";
            }

            // Asking the backend whether it still runs costs an engine round trip (0.1-0.2 s for a container on a loaded
            // machine), so it is asked at most every LivenessInterval while /health/ready is polled every PollInterval:
            // readiness is seen within 50 ms of the server binding. Two looks 200 ms apart: a process caught mid-exec
            // must not count as dead.
            if (clock.Elapsed - lastLook >= LivenessInterval)
            {
                lastLook = clock.Elapsed;
                if (!await isRunning() && !await RunningAfterPauseAsync(isRunning, cancellationToken))
                {
                    return $"the server exited before it became ready ({last})";
                }
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return $"not ready within {timeout.TotalSeconds:0} s ({last})";
    }

    private static async Task<bool> RunningAfterPauseAsync(Func<Task<bool>> isRunning, CancellationToken ct)
    {
        await Task.Delay(200, ct);
        return await isRunning();
    }

    /// <summary>Sends each smoke row to <c>/v1/predict</c>; returns null when every answer is 200 with a score, else the first problem.</summary>
    public async Task<string?> SmokeAsync(string url, IReadOnlyList<JsonObject> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            try
            {
                using var response = await client.PostAsJsonAsync(url + "/v1/predict", row, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return $"smoke prediction answered {(int)response.StatusCode}: {Shorten(body)}";
                }

                if (PredictionReader.Read(body) is null)
                {
                    return $"smoke prediction has no score: {Shorten(body)}";
                }
            }
            catch (HttpRequestException ex)
            {
                return $"smoke prediction failed: {ex.Message}";
            }
        }

        return null;
    }

    /// <summary>The <c>/v1/metadata</c> document, or null when it cannot be read.</summary>
    public async Task<JsonObject?> MetadataAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            return JsonNode.Parse(await client.GetStringAsync(url + "/v1/metadata", cancellationToken)) as JsonObject;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Throws an <see cref="InfrastructureException"/> unless <paramref name="problem"/> is null.</summary>
    public static void ThrowIf(string? problem, string what, string log)
    {
        if (problem is not null)
        {
            throw new InfrastructureException($"{what}: {problem}. Server log ({log}):{Environment.NewLine}{DetachedProcess.Tail(log)}");
        }
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
