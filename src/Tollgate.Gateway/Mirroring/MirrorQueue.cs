using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Tollgate.Gateway.Mirroring;

/// <summary>
/// Fire-and-forget mirroring: production enqueues a copy and moves on — one lock-free <see cref="TryEnqueue"/>: no
/// await, no lock, no thread to wake (on the project's virtual machines a wake-up, i.e. a context switch, costs more
/// than the whole copy). The queue is bounded and drops the copy when full (counted), so a slow or dead shadow costs
/// production nothing. Dedicated low-priority threads (<see cref="LowPriorityThread"/>) send: one polls the queue —
/// every millisecond or so while copies flow, backing off to <see cref="IdlePoll"/> when idle — and wakes the others
/// only when copies back up; they send with their own connection pool, never on the thread pool that serves production; one more such thread appends the exchanges to the
/// mirror log in batches every <see cref="LogInterval"/>. Shadow answers are never returned to a client.
/// </summary>
public sealed class MirrorQueue : BackgroundService
{
    /// <summary>Bodies above this are not mirrored (and production bodies above it are logged truncated).</summary>
    public const int MaxBodyBytes = 1 << 20;

    /// <summary>Longest pause of an idle mirror thread between looks at the queue (the most a first copy waits).</summary>
    public static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest a copy waits for production to be idle in the gateway before it is sent anyway.</summary>
    public static readonly TimeSpan MaxDeferral = TimeSpan.FromMilliseconds(20);

    /// <summary>How often the log thread appends the exchanges gathered meanwhile.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromMilliseconds(200);

    [ThreadStatic]
    private static ShadowConnection? connection;

    private readonly ConcurrentQueue<MirrorItem> queue = new();
    private readonly ConcurrentQueue<(string Path, MirrorRecord Record)> log = new();
    private readonly int capacity;
    private int queued;
    private int productionInFlight;
    private readonly TimeSpan shadowTimeout;
    private readonly ConcurrentBag<ShadowConnection> connections = [];
    private readonly int concurrency;
    private readonly ILogger<MirrorQueue> logger;
    private readonly List<Thread> threads = [];
    private readonly SemaphoreSlim backlog = new(0);
    private long enqueued;
    private long dropped;
    private long sent;
    private long failed;
    private long skipped;

    public MirrorQueue(int capacity, int concurrency, ILogger<MirrorQueue> logger, TimeSpan? shadowTimeout = null)
    {
        this.capacity = Math.Max(1, capacity);
        this.concurrency = Math.Max(1, concurrency);
        this.logger = logger;
        // Each mirror thread has its own connection to the shadow (ShadowConnection): never one of production's.
        this.shadowTimeout = shadowTimeout ?? TimeSpan.FromSeconds(10);
    }

    public MirrorStats Stats => new(
        Interlocked.Read(ref enqueued),
        Interlocked.Read(ref dropped),
        Interlocked.Read(ref sent),
        Interlocked.Read(ref failed),
        Volatile.Read(ref queued),
        Interlocked.Read(ref skipped));

    /// <summary>Counts a production exchange that could not be mirrored (body over the limit, not read whole, or production failed).</summary>
    public void CountSkipped() => Interlocked.Increment(ref skipped);

    /// <summary>Queues a copy; never blocks or wakes a thread. False (and counted as dropped) when the queue is full.</summary>
    public bool TryEnqueue(MirrorItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (Interlocked.Increment(ref queued) > capacity)
        {
            Interlocked.Decrement(ref queued);
            Interlocked.Increment(ref dropped);
            return false;
        }

        queue.Enqueue(item);
        Interlocked.Increment(ref enqueued);
        return true;
    }

    /// <summary>Production request starting in the gateway: copies are held back (up to <see cref="MaxDeferral"/>) while any is in flight.</summary>
    public void ProductionStarted() => Interlocked.Increment(ref productionInFlight);

    public void ProductionFinished() => Interlocked.Decrement(ref productionInFlight);

    /// <summary>Longest <see cref="Dispose"/> waits for the mirror threads to exit.</summary>
    public static readonly TimeSpan ShutdownPatience = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Cancels the mirror threads, closes their connections and waits (up to <see cref="ShutdownPatience"/>) for them to
    /// exit. The backlog semaphore is deliberately not disposed: a thread that outlives the wait (they run at nice 19 and
    /// may be mid-copy) could still reach it, and a disposed semaphore then throws on a background thread — CI once saw the
    /// gateway's process end that way, when the host ran ExecuteAsync after Dispose. Without its wait handle a
    /// SemaphoreSlim holds no kernel resource.
    /// </summary>
    public override void Dispose()
    {
        base.Dispose(); // cancels the stopping token: the threads finish their current copy and exit
        foreach (var open in connections)
        {
            open.Dispose(); // a thread waiting for a silent shadow's answer wakes with an error and exits
        }

        Thread[] started;
        lock (threads)
        {
            started = [.. threads];
        }

        var deadline = Environment.TickCount64 + (long)ShutdownPatience.TotalMilliseconds;
        foreach (var thread in started)
        {
            thread.Join(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)));
        }
    }

    /// <summary>True once every mirror thread has exited (after <see cref="Dispose"/>; false while any still runs).</summary>
    internal bool Stopped
    {
        get
        {
            lock (threads)
            {
                return threads.TrueForAll(thread => !thread.IsAlive);
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Since .NET 10 the host runs ExecuteAsync on the thread pool, so it can run after Dispose: then no thread starts.
        // Dispose cancels before it reads the list, under the same lock, so every thread started here is one it waits for.
        lock (threads)
        {
            if (stoppingToken.IsCancellationRequested)
            {
                return Task.CompletedTask;
            }

            threads.Add(LowPriorityThread.Start("tollgate-mirror-0", () => Poll(stoppingToken), Failed));
            for (var i = 1; i < concurrency; i++)
            {
                threads.Add(LowPriorityThread.Start($"tollgate-mirror-{i}", () => Help(stoppingToken), Failed));
            }

            threads.Add(LowPriorityThread.Start("tollgate-mirror-log", () => WriteLog(stoppingToken), Failed));
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stoppingToken.Register(() => done.TrySetResult());
        return done.Task;
    }

    /// <summary>
    /// A mirror thread ended on an exception nobody expected: mirroring through that thread stops, production does not.
    /// Logged as an error (an unhandled exception on a background thread would end the gateway's process).
    /// </summary>
    private void Failed(string thread, Exception ex) =>
        logger.LogError(ex, "{Thread} stopped on an unexpected error; copies to the shadow may stop flowing (production is not affected). Restart the gateway to restore mirroring.", thread);

    /// <summary>
    /// The one polling thread: looks at the queue every millisecond or so while copies flow (backing off to
    /// <see cref="IdlePoll"/>), sends what it finds, and wakes a helper only when copies back up behind a slow shadow.
    /// One poller, not one per sender: on the project's virtual machines each idle wake-up costs about as much CPU as a
    /// copy, and four polling threads cost the gateway a tenth of a core at 400 requests/s.
    /// </summary>
    private void Poll(CancellationToken ct)
    {
        var pause = 1;
        while (!ct.IsCancellationRequested)
        {
            if (queue.TryDequeue(out var item))
            {
                Interlocked.Decrement(ref queued);
                pause = 1;
                WakeHelperIfBacklogged();
                if (!Mirror(item, ct))
                {
                    return;
                }

                continue;
            }

            // Nothing queued: sleep (waking on shutdown), longer the longer the queue stays empty.
            ct.WaitHandle.WaitOne(pause);
            pause = Math.Min(pause * 2, (int)IdlePoll.TotalMilliseconds);
        }
    }

    /// <summary>A helper sleeps until the poller sees a backlog, then drains the queue beside it.</summary>
    private void Help(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                backlog.Wait(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            while (queue.TryDequeue(out var item))
            {
                Interlocked.Decrement(ref queued);
                WakeHelperIfBacklogged();
                if (!Mirror(item, ct))
                {
                    return;
                }
            }
        }
    }

    private void WakeHelperIfBacklogged()
    {
        if (concurrency > 1 && Volatile.Read(ref queued) > 0 && backlog.CurrentCount == 0)
        {
            backlog.Release();
        }
    }

    /// <summary>Sends one copy and queues its exchange for the log; false when the gateway is shutting down.</summary>
    private bool Mirror(MirrorItem item, CancellationToken ct)
    {
        YieldToProduction(ct);
        try
        {
            log.Enqueue((item.LogPath, Send(item, ct)));
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false; // shutting down: queued copies are dropped, which mirroring allows
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends in production's gaps: the shadow scores on the same cores, so a copy sent while a production request is in
    /// flight makes the two compete. Bounded, so under constant load copies still flow (late, or dropped when the queue fills).
    /// </summary>
    private void YieldToProduction(CancellationToken ct)
    {
        var deadline = Environment.TickCount64 + (long)MaxDeferral.TotalMilliseconds;
        while (Volatile.Read(ref productionInFlight) > 0 && Environment.TickCount64 < deadline && !ct.IsCancellationRequested)
        {
            Thread.Sleep(1);
        }
    }

    private MirrorRecord Send(MirrorItem item, CancellationToken ct)
    {
        int? status = null;
        ReadOnlyMemory<byte> body = default;
        string? error = null;
        var clock = Stopwatch.StartNew();
        try
        {
            var connection = ConnectionTo(item.Shadow.Url);
            (var code, body) = connection.Send(item);
            status = code;
            Interlocked.Increment(ref sent);
            if (status >= 500)
            {
                Interlocked.Increment(ref failed);
            }
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            error = ex.Message;
            Interlocked.Increment(ref failed);
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct); // Dispose closed the socket under a waiting receive
        }

        return new MirrorRecord(item, status, status is null ? null : Math.Round(clock.Elapsed.TotalMilliseconds, 3), body, error);
    }

    /// <summary>This thread's connection to the shadow at <paramref name="url"/> (a new shadow gets a new one).</summary>
    private ShadowConnection ConnectionTo(string url)
    {
        if (connection is { } current && string.Equals(current.Shadow.OriginalString, url, StringComparison.Ordinal))
        {
            return current;
        }

        connection?.Dispose();
        connection = new ShadowConnection(new Uri(url), shadowTimeout, MirrorRecord.MaxLoggedBodyBytes);
        connections.Add(connection);
        return connection;
    }

    private void WriteLog(CancellationToken ct)
    {
        var lines = new Dictionary<string, ArrayBufferWriter<byte>>(StringComparer.Ordinal);
        var writer = new Utf8JsonWriter(Stream.Null, MirrorRecord.WriterOptions);
        while (!ct.WaitHandle.WaitOne(LogInterval))
        {
            foreach (var buffer in lines.Values)
            {
                buffer.ResetWrittenCount();
            }

            while (log.TryDequeue(out var entry))
            {
                if (!lines.TryGetValue(entry.Path, out var buffer))
                {
                    lines[entry.Path] = buffer = new ArrayBufferWriter<byte>(64 * 1024);
                }

                writer.Reset(buffer);
                entry.Record.WriteTo(writer);
                writer.Flush();
                buffer.Write("\n"u8);
            }

            foreach (var (path, buffer) in lines)
            {
                if (buffer.WrittenCount == 0)
                {
                    continue;
                }

                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                    using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
                    file.Write(buffer.WrittenSpan);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning("{Path}: cannot write the mirror log ({Message}); those exchanges are lost", path, ex.Message);
                }
            }
        }
    }
}
