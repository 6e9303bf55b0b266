using System.Globalization;
using System.Text.Json.Nodes;
using Tollgate.Tracking.Entities;

namespace Tollgate.Tracking.Rest;

/// <summary>JSON shapes of MLflow's REST API, both ways.</summary>
public static class MlflowJson
{
    /// <summary><c>[{"key": k, "value": v}, …]</c>, in key order.</summary>
    public static JsonArray KeyValues(IEnumerable<KeyValuePair<string, string>> pairs) =>
        [.. pairs.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value })];

    /// <summary>
    /// A metric value as MLflow's protobuf JSON carries it: a number when finite, else the strings <c>"NaN"</c>,
    /// <c>"Infinity"</c>, <c>"-Infinity"</c> (what MLflow's Python client sends and its server parses).
    /// </summary>
    public static JsonNode MetricValue(double value) =>
        double.IsNaN(value) ? JsonValue.Create("NaN")
        : double.IsPositiveInfinity(value) ? JsonValue.Create("Infinity")
        : double.IsNegativeInfinity(value) ? JsonValue.Create("-Infinity")
        : JsonValue.Create(value);

    public static JsonObject Metric(MetricPoint m) => new()
    {
        ["key"] = m.Key,
        ["value"] = MetricValue(m.Value),
        ["timestamp"] = m.TimestampMs,
        ["step"] = m.Step,
    };

    public static double ReadDouble(JsonNode? node) => node switch
    {
        null => double.NaN,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) => s switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
        },
        _ => double.NaN,
    };

    public static long ReadLong(JsonNode? node) => node switch
    {
        null => 0,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<string>(out var s) => long.Parse(s, CultureInfo.InvariantCulture),
        _ => 0,
    };

    public static string? ReadString(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    public static Dictionary<string, string> ReadKeyValues(JsonNode? array) =>
        (array as JsonArray ?? [])
            .OfType<JsonObject>()
            .GroupBy(o => ReadString(o["key"]) ?? string.Empty)
            .ToDictionary(g => g.Key, g => ReadString(g.Last()["value"]) ?? string.Empty, StringComparer.Ordinal);

    /// <summary>A run from <c>{"info": …, "data": …}</c>.</summary>
    public static TrackedRun ReadRun(JsonNode run)
    {
        var info = run["info"]!;
        var data = run["data"];
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var m in (data?["metrics"] as JsonArray ?? []).OfType<JsonObject>())
        {
            metrics[ReadString(m["key"]) ?? string.Empty] = ReadDouble(m["value"]);
        }

        return new TrackedRun
        {
            RunId = ReadString(info["run_id"]) ?? ReadString(info["run_uuid"])!,
            ExperimentId = ReadString(info["experiment_id"])!,
            RunName = ReadString(info["run_name"]),
            Status = Enum.TryParse<MlflowRunStatus>(ReadString(info["status"]), ignoreCase: true, out var s) ? s : MlflowRunStatus.Running,
            StartTimeMs = ReadLong(info["start_time"]),
            EndTimeMs = info["end_time"] is null ? null : ReadLong(info["end_time"]),
            ArtifactUri = ReadString(info["artifact_uri"]) ?? string.Empty,
            Params = ReadKeyValues(data?["params"]),
            Metrics = metrics,
            Tags = ReadKeyValues(data?["tags"]),
        };
    }

    public static ModelVersionInfo ReadModelVersion(JsonNode mv) => new(
        ReadString(mv["name"])!,
        ReadString(mv["version"])!,
        ReadString(mv["run_id"]) is { Length: > 0 } runId ? runId : null,
        ReadString(mv["source"]) ?? string.Empty,
        ReadString(mv["description"]),
        ReadKeyValues(mv["tags"]),
        [.. (mv["aliases"] as JsonArray ?? []).Select(a => ReadString(a) ?? string.Empty)]);
}
