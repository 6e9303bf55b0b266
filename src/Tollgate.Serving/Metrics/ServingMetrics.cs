using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Tollgate.Modeling.Scoring;
using Tollgate.Serving.Scoring;

namespace Tollgate.Serving.Metrics;

/// <summary>
/// The server's Prometheus metrics (<c>GET /metrics</c>, text exposition format 0.0.4): request counts by route and
/// status, latency histogram by route, errors by route, score distribution and predicted labels, serving-log counters.
/// Routes are a fixed set, so label cardinality stays bounded whatever clients send.
/// </summary>
public sealed class ServingMetrics
{
    public static readonly IReadOnlyList<string> Routes =
        ["/v1/predict", "/v1/explain", "/v1/metadata", "/health/live", "/health/ready", "/metrics", "/explain", "other"];

    private static readonly double[] LatencyBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    private static readonly double[] ScoreBounds = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1];

    // Status codes Kestrel can send (100–599) count in a flat array per route, indexed without hashing; any other code
    // (an application may set one) falls back to the dictionary. Rows scored = the score histogram's count.
    private const int FirstStatus = 100;
    private const int StatusSlots = 500;

    private readonly long[][] requestsByStatus = [.. Routes.Select(_ => new long[StatusSlots])];
    private readonly ConcurrentDictionary<(int Route, int Status), StrongBox<long>> otherStatuses = new();
    private readonly Histogram[] latency = [.. Routes.Select(_ => new Histogram(LatencyBounds))];
    private readonly Histogram scores = new(ScoreBounds);
    private readonly ServedModelInfo model;
    private long positives;
    private long negatives;
    private long logWritten;
    private long logDropped;

    public ServingMetrics(ServedModelInfo model)
    {
        this.model = model;
    }

    /// <summary>The route label for a request path: one of <see cref="Routes"/>.</summary>
    public static string RouteOf(string path) => Routes[RouteIndexOf(path)];

    /// <summary>The index in <see cref="Routes"/> of the route label for a request path.</summary>
    public static int RouteIndexOf(string path)
    {
        for (var i = 0; i < Routes.Count - 1; i++)
        {
            if (string.Equals(Routes[i], path, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return Routes.Count - 1;
    }

    public void RecordRequest(string route, int status, double seconds) => RecordRequest(IndexOfRoute(route), status, seconds);

    /// <summary>Counts one answered request; <paramref name="routeIndex"/> from <see cref="RouteIndexOf"/>.</summary>
    public void RecordRequest(int routeIndex, int status, double seconds)
    {
        if ((uint)(status - FirstStatus) < StatusSlots)
        {
            Interlocked.Increment(ref requestsByStatus[routeIndex][status - FirstStatus]);
        }
        else
        {
            Interlocked.Increment(ref otherStatuses.GetOrAdd((routeIndex, status), _ => new StrongBox<long>()).Value);
        }

        latency[routeIndex].Observe(seconds);
    }

    public void RecordPredictions(IReadOnlyList<Prediction> predictions)
    {
        for (var i = 0; i < predictions.Count; i++) // by index: foreach over the interface would allocate an enumerator
        {
            var p = predictions[i];
            scores.Observe(p.Score);
            if (p.IsPositive == true)
            {
                Interlocked.Increment(ref positives);
            }
            else if (p.IsPositive == false)
            {
                Interlocked.Increment(ref negatives);
            }
        }
    }

    public void RecordLogWritten() => Interlocked.Increment(ref logWritten);

    public void RecordLogDropped() => Interlocked.Increment(ref logDropped);

    /// <summary>Requests answered so far with <paramref name="status"/> on <paramref name="route"/>.</summary>
    public long RequestCount(string route, int status)
    {
        var index = IndexOfRoute(route);
        return (uint)(status - FirstStatus) < StatusSlots
            ? Interlocked.Read(ref requestsByStatus[index][status - FirstStatus])
            : otherStatuses.TryGetValue((index, status), out var box) ? Interlocked.Read(ref box.Value) : 0;
    }

    public string Render()
    {
        var output = new StringBuilder(4096);
        output.Append("# HELP tollgate_model_info The served model; the value is always 1.\n# TYPE tollgate_model_info gauge\n");
        output.Append(CultureInfo.InvariantCulture, $"tollgate_model_info{{model=\"{Escape(model.Name)}\",version=\"{Escape(model.Version)}\",run_id=\"{Escape(model.RunId)}\"}} 1\n");

        var snapshot = RequestSnapshot();
        output.Append("# HELP tollgate_http_requests_total HTTP requests answered, by route and status code.\n# TYPE tollgate_http_requests_total counter\n");
        foreach (var (route, status, count) in snapshot)
        {
            output.Append(CultureInfo.InvariantCulture, $"tollgate_http_requests_total{{route=\"{route}\",code=\"{status}\"}} {count}\n");
        }

        output.Append("# HELP tollgate_http_request_errors_total Requests answered with 4xx or 5xx, by route and class.\n# TYPE tollgate_http_request_errors_total counter\n");
        foreach (var group in snapshot.Where(p => p.Status >= 400).GroupBy(p => (p.Route, Class: p.Status >= 500 ? "5xx" : "4xx")))
        {
            output.Append(CultureInfo.InvariantCulture, $"tollgate_http_request_errors_total{{route=\"{group.Key.Route}\",class=\"{group.Key.Class}\"}} {group.Sum(p => p.Count)}\n");
        }

        output.Append("# HELP tollgate_http_request_duration_seconds Time from request start to response, by route.\n# TYPE tollgate_http_request_duration_seconds histogram\n");
        for (var i = 0; i < Routes.Count; i++)
        {
            if (latency[i].Count > 0)
            {
                latency[i].Write(output, "tollgate_http_request_duration_seconds", $"route=\"{Routes[i]}\",");
            }
        }

        output.Append("# HELP tollgate_prediction_score Distribution of predicted scores (probability of the positive class).\n# TYPE tollgate_prediction_score histogram\n");
        scores.Write(output, "tollgate_prediction_score", string.Empty);
        output.Append("# HELP tollgate_predictions_total Rows scored, by predicted label at the served threshold.\n# TYPE tollgate_predictions_total counter\n");
        output.Append(CultureInfo.InvariantCulture, $"tollgate_predictions_total{{label=\"positive\"}} {Interlocked.Read(ref positives)}\n");
        output.Append(CultureInfo.InvariantCulture, $"tollgate_predictions_total{{label=\"negative\"}} {Interlocked.Read(ref negatives)}\n");
        output.Append(CultureInfo.InvariantCulture, $"tollgate_predictions_total{{label=\"none\"}} {scores.Count - Interlocked.Read(ref positives) - Interlocked.Read(ref negatives)}\n");
        output.Append("# HELP tollgate_serving_log_records_total Serving-log lines written, and dropped because the writer fell behind.\n# TYPE tollgate_serving_log_records_total counter\n");
        output.Append(CultureInfo.InvariantCulture, $"tollgate_serving_log_records_total{{outcome=\"written\"}} {Interlocked.Read(ref logWritten)}\n");
        output.Append(CultureInfo.InvariantCulture, $"tollgate_serving_log_records_total{{outcome=\"dropped\"}} {Interlocked.Read(ref logDropped)}\n");
        // The garbage collector pauses every request in flight: how often and how long is the first thing to look at
        // when p99 rises while p50 does not.
        output.Append("# HELP dotnet_gc_collections_total Garbage collections of this process, by generation.\n# TYPE dotnet_gc_collections_total counter\n");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            output.Append(CultureInfo.InvariantCulture, $"dotnet_gc_collections_total{{generation=\"{generation}\"}} {GC.CollectionCount(generation)}\n");
        }

        output.Append("# HELP dotnet_gc_pause_seconds_total Time this process was paused for garbage collection.\n# TYPE dotnet_gc_pause_seconds_total counter\n");
        output.Append(CultureInfo.InvariantCulture, $"dotnet_gc_pause_seconds_total {GC.GetTotalPauseDuration().TotalSeconds:0.######}\n");
        output.Append("# HELP dotnet_gc_allocated_bytes_total Bytes allocated by this process.\n# TYPE dotnet_gc_allocated_bytes_total counter\n");
        output.Append(CultureInfo.InvariantCulture, $"dotnet_gc_allocated_bytes_total {GC.GetTotalAllocatedBytes(precise: true)}\n");
        return output.ToString();
    }

    /// <summary>Every (route, status) answered at least once, by route (ordinal) then status.</summary>
    private List<(string Route, int Status, long Count)> RequestSnapshot()
    {
        var rows = new List<(string Route, int Status, long Count)>();
        for (var r = 0; r < Routes.Count; r++)
        {
            for (var s = 0; s < StatusSlots; s++)
            {
                if (Interlocked.Read(ref requestsByStatus[r][s]) is var count and > 0)
                {
                    rows.Add((Routes[r], s + FirstStatus, count));
                }
            }
        }

        rows.AddRange(otherStatuses.Select(p => (Routes[p.Key.Route], p.Key.Status, Interlocked.Read(ref p.Value.Value))));
        return [.. rows.OrderBy(p => p.Route, StringComparer.Ordinal).ThenBy(p => p.Status)];
    }

    private static int IndexOfRoute(string route)
    {
        for (var i = 0; i < Routes.Count; i++)
        {
            if (string.Equals(Routes[i], route, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"'{route}' is not one of the metric routes ({string.Join(", ", Routes)}).", nameof(route));
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

