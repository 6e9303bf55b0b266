using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Tollgate.Core.IO;

namespace Tollgate.Gateway.Mirroring;

/// <summary>
/// Fire-and-forget mirroring: production enqueues a copy and moves on. The queue is bounded and drops the copy when
/// full, so a slow or dead shadow costs production nothing but a failed <c>TryWrite</c>. Workers send copies to the
/// shadow; one writer appends the exchanges to the mirror log. Shadow answers are never returned to a client.
/// </summary>
public sealed class MirrorQueue : BackgroundService
{
    /// <summary>Bodies above this are not mirrored (and production bodies above it are logged truncated).</summary>
    public const int MaxBodyBytes = 1 << 20;

    private static readonly JsonSerializerOptions LineOptions = new(TollgateJson.Options) { WriteIndented = false };

    private readonly Channel<MirrorItem> queue;
    private readonly Channel<(string Path, MirrorRecord Record)> log = Channel.CreateUnbounded<(string, MirrorRecord)>(new() { SingleReader = true });
    private readonly HttpClient client;
    private readonly int concurrency;
    private readonly ILogger<MirrorQueue> logger;
    private long enqueued;
    private long dropped;
    private long sent;
    private long failed;

    public MirrorQueue(int capacity, int concurrency, ILogger<MirrorQueue> logger, TimeSpan? shadowTimeout = null)
    {
        queue = Channel.CreateBounded<MirrorItem>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            // Wait mode makes TryWrite return false when full (instead of silently dropping), so drops are counted.
            FullMode = BoundedChannelFullMode.Wait,
        });
        this.concurrency = Math.Max(1, concurrency);
        this.logger = logger;
        client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = shadowTimeout ?? TimeSpan.FromSeconds(10),
        };
    }

    public MirrorStats Stats => new(
        Interlocked.Read(ref enqueued),
        Interlocked.Read(ref dropped),
        Interlocked.Read(ref sent),
        Interlocked.Read(ref failed),
        queue.Reader.CanCount ? queue.Reader.Count : -1);

    /// <summary>Where exchanges are logged; set from the routes file.</summary>
    public string? LogPath { get; set; }

    /// <summary>Queues a copy; never blocks. False (and counted as dropped) when the queue is full.</summary>
    public bool TryEnqueue(MirrorItem item)
    {
        if (!queue.Writer.TryWrite(item))
        {
            Interlocked.Increment(ref dropped);
            return false;
        }

        Interlocked.Increment(ref enqueued);
        return true;
    }

    public override void Dispose()
    {
        client.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)).ToList();
        workers.Add(Task.Run(() => WriteLogAsync(stoppingToken), stoppingToken));
        return Task.WhenAll(workers);
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(ct))
            {
                var record = await SendAsync(item, ct);
                if (LogPath is { } path)
                {
                    log.Writer.TryWrite((path, record));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: queued copies are dropped, which mirroring allows.
        }
    }

    private async Task<MirrorRecord> SendAsync(MirrorItem item, CancellationToken ct)
    {
        int? status = null;
        string? body = null;
        string? error = null;
        var clock = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(item.Method), item.Shadow.Url.TrimEnd('/') + item.PathAndQuery);
            if (item.Body.Length > 0 || item.Method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new ByteArrayContent(item.Body);
                if (item.ContentType is { } ct2)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", ct2);
                }
            }

            request.Headers.TryAddWithoutValidation("X-Tollgate-Mirror", item.RequestId);
            using var response = await client.SendAsync(request, ct);
            body = await response.Content.ReadAsStringAsync(ct);
            status = (int)response.StatusCode;
            Interlocked.Increment(ref sent);
            if (status >= 500)
            {
                Interlocked.Increment(ref failed);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error = ex.Message;
            Interlocked.Increment(ref failed);
        }

        return new MirrorRecord(
            item.RequestId,
            item.At,
            item.Method,
            item.PathAndQuery,
            item.Body.Length == 0 ? null : Encoding.UTF8.GetString(item.Body),
            item.Production.Version,
            item.ProductionStatus,
            item.ProductionMs,
            item.ProductionBody,
            item.Shadow.Version,
            status,
            status is null ? null : Math.Round(clock.Elapsed.TotalMilliseconds, 3),
            Truncate(body),
            error);
    }

    private async Task WriteLogAsync(CancellationToken ct)
    {
        try
        {
            while (await log.Reader.WaitToReadAsync(ct))
            {
                var lines = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
                while (log.Reader.TryRead(out var entry))
                {
                    if (!lines.TryGetValue(entry.Path, out var sb))
                    {
                        lines[entry.Path] = sb = new StringBuilder();
                    }

                    sb.Append(JsonSerializer.Serialize(entry.Record, LineOptions)).Append('\n');
                }

                foreach (var (path, text) in lines)
                {
                    try
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                        await File.AppendAllTextAsync(path, text.ToString(), ct);
                    }
                    catch (IOException ex)
                    {
                        logger.LogWarning("{Path}: cannot write the mirror log ({Message}); those exchanges are lost", path, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static string? Truncate(string? body) =>
        body is null || body.Length <= 64 * 1024 ? body : body[..(64 * 1024)];
}
