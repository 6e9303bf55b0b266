using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Tollgate.Modeling.Scoring;
using Tollgate.Serving.Metrics;
using Tollgate.Serving.Scoring;

namespace Tollgate.Serving.Logging;

/// <summary>
/// The serving log: for a sample of requests, one JSON line per row with the features as received, the features as
/// the model saw them, and the output (format in docs/serving.md, schema <c>tollgate.serving-log/1</c>). Lines are
/// queued and written by one background task, so a slow disk never slows a request; when the queue is full a line is
/// dropped and counted rather than blocking. Files rotate by size and the oldest are deleted.
/// </summary>
public sealed class ServingLog : IAsyncDisposable
{
    public const string Schema = "tollgate.serving-log/1";

    private readonly ServingLogOptions options;
    private readonly ServedModelInfo model;
    private readonly ServingMetrics metrics;
    private readonly TimeProvider time;
    private readonly Channel<Line> queue;
    private readonly Task writer;
    private FileStream? current;

    /// <summary>How long the writer lets lines gather before writing them; also the log's delay behind the requests.</summary>
    private static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(20);

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? formatBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? formatWriter;

    public ServingLog(ServingLogOptions options, ServedModelInfo model, ServingMetrics metrics, TimeProvider time)
    {
        this.options = options;
        this.model = model;
        this.metrics = metrics;
        this.time = time;
        queue = Channel.CreateBounded<Line>(new BoundedChannelOptions(10_000)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        if (options.Directory is not null)
        {
            System.IO.Directory.CreateDirectory(options.Directory);
        }

        // A thread of its own, writing synchronously: file I/O on Linux blocks the thread that does it, and a slow disk
        // holding one of the thread pool's few workers (two on two cores) stalled every request (p99 16-20 ms).
        writer = options.Directory is null
            ? Task.CompletedTask
            : Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public bool Enabled => options.Directory is not null && options.SampleRate > 0;

    /// <summary>True when this request should be logged (decided once per request, so a batch is logged whole).</summary>
    public bool ShouldSample() => Enabled && (options.SampleRate >= 1 || Random.Shared.NextDouble() < options.SampleRate);

    /// <summary>Queues one line per row; never blocks and never throws for a full queue.</summary>
    public void Write(string route, string requestId, IReadOnlyList<JsonElement> received, IReadOnlyList<FeatureRow> rows, IReadOnlyList<Prediction> outputs)
    {
        var now = time.GetUtcNow();
        for (var i = 0; i < rows.Count; i++)
        {
            var line = Format(now, route, requestId, i, rows.Count, received[i], rows[i], outputs[i]);
            if (queue.Writer.TryWrite(line))
            {
                metrics.RecordLogWritten();
            }
            else
            {
                ArrayPool<byte>.Shared.Return(line.Bytes);
                metrics.RecordLogDropped();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer.ConfigureAwait(false);
        if (current is not null)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Line Format(DateTimeOffset now, string route, string requestId, int index, int count, JsonElement received, FeatureRow row, Prediction output)
    {
        // One buffer and writer per thread, reused: a sampled row costs its line's bytes and nothing more.
        var buffer = formatBuffer ??= new ArrayBufferWriter<byte>(2048);
        buffer.ResetWrittenCount();
        var json = formatWriter ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        {
            json.WriteStartObject();
            json.WriteString("schema", Schema);
            Span<char> stamp = stackalloc char[32];
            now.UtcDateTime.TryFormat(stamp, out var stampLength, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            json.WriteString("timestamp", stamp[..stampLength]);
            json.WriteString("requestId", requestId);
            json.WriteString("route", route);
            json.WriteString("model", model.Name);
            json.WriteString("version", model.Version);
            json.WriteNumber("batchIndex", index);
            json.WriteNumber("batchSize", count);
            json.WritePropertyName("received");
            received.WriteTo(json);
            json.WriteStartObject("processed");
            foreach (var (name, value) in row.Numeric)
            {
                if (float.IsFinite(value))
                {
                    json.WriteNumber(name, value);
                }
                else
                {
                    json.WriteNull(name);
                }
            }

            foreach (var (name, value) in row.Categorical)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteStartObject("output");
            json.WriteNumber("score", output.Score);
            json.WriteNumber("rawScore", output.RawScore);
            if (output.IsPositive is { } label)
            {
                json.WriteBoolean("label", label);
            }

            if (output.Threshold is { } threshold)
            {
                json.WriteNumber("threshold", threshold);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.Flush();
        }

        // The queued copy comes from the shared pool; the writer returns it once the line is in the file's buffer.
        var length = buffer.WrittenCount + 1;
        var bytes = ArrayPool<byte>.Shared.Rent(length);
        buffer.WrittenSpan.CopyTo(bytes);
        bytes[length - 1] = (byte)'\n';
        return new Line(bytes, length);
    }

    private void WriteLoop()
    {
        var reader = queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            // Lines gather for a moment so that a burst is one write and one flush, not a write and a wake-up per
            // sampled request (that cost the server a fifth of its throughput at a 10% sample).
            Thread.Sleep(GatherWindow);
            try
            {
                while (reader.TryRead(out var line))
                {
                    try
                    {
                        var file = CurrentFile();
                        file.Write(line.Bytes, 0, line.Length);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(line.Bytes);
                    }
                }

                // Flush once per burst: a reader of the log (the skew check) sees whole lines, and a burst costs one write.
                if (current is not null)
                {
                    current.Flush();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A full or read-only disk must not stop serving: count the loss, start a new file next time.
                metrics.RecordLogDropped();
                Console.Error.WriteLine($"serving log: write failed ({ex.Message}); lines are being dropped.");
                try
                {
                    current?.Dispose();
                }
                catch (IOException)
                {
                    // The buffered bytes are lost with the disk; nothing more to do.
                }

                current = null;
            }
        }
    }

    private FileStream CurrentFile()
    {
        if (current is not null && current.Length < options.MaxFileBytes)
        {
            return current;
        }

        current?.Dispose();
        var name = $"serving-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{Environment.ProcessId}.jsonl";
        var path = Path.Combine(options.Directory!, name);
        current = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);
        Prune();
        return current;
    }

    private void Prune()
    {
        var files = new DirectoryInfo(options.Directory!).GetFiles("serving-*.jsonl")
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .Skip(options.MaxFiles);
        foreach (var old in files)
        {
            try
            {
                old.Delete();
            }
            catch (IOException)
            {
                // Another reader may hold it open; the next rotation tries again.
            }
        }
    }

    /// <summary>Appends a readable description for startup logs.</summary>
    public override string ToString() =>
        options.Directory is null
            ? "serving log off"
            : new StringBuilder().Append(CultureInfo.InvariantCulture, $"serving log {options.Directory} (sample {options.SampleRate:0.###}, rotate at {options.MaxFileBytes >> 20} MiB, keep {options.MaxFiles})").ToString();

    /// <summary>A formatted line in an array rented from the shared pool (longer than the line).</summary>
    private readonly record struct Line(byte[] Bytes, int Length);
}
