using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tollgate.Tracking.Tests.Fixtures;

/// <summary>
/// An in-memory MLflow tracking server for end-to-end tests over real HTTP: the endpoints Tollgate calls, answering in
/// the shapes and with the error codes of the captured MLflow 3.6 transcripts (404 RESOURCE_DOES_NOT_EXIST, 400
/// RESOURCE_ALREADY_EXISTS, 400 INVALID_PARAMETER_VALUE for changed params and unknown aliases, 400 without JSON
/// Content-Type).
/// </summary>
public sealed partial class FakeMlflow
{
    private readonly object gate = new();
    private readonly Dictionary<string, string> experiments = new(StringComparer.Ordinal); // name → id
    private readonly Dictionary<string, Run> runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> aliases = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> RunIds
    {
        get
        {
            lock (gate)
            {
                return runs.Keys.ToList();
            }
        }
    }

    /// <summary>Metric history lines received per run and key: duplicates would show here.</summary>
    public IReadOnlyList<(string Key, double Value)> History(string runId)
    {
        lock (gate)
        {
            return runs[runId].History.ToList();
        }
    }

    public Dictionary<string, string> Params(string runId)
    {
        lock (gate)
        {
            return new(runs[runId].Params);
        }
    }

    public Dictionary<string, string> Tags(string runId)
    {
        lock (gate)
        {
            return new(runs[runId].Tags);
        }
    }

    public HashSet<string> Artifacts(string runId)
    {
        lock (gate)
        {
            return [.. runs[runId].Artifacts];
        }
    }

    public string Status(string runId)
    {
        lock (gate)
        {
            return runs[runId].Status;
        }
    }

    public int VersionCount(string model)
    {
        lock (gate)
        {
            return versions.TryGetValue(model, out var list) ? list.Count : 0;
        }
    }

    public (int Status, string Body) Handle(RecordedRequest r)
    {
        lock (gate)
        {
            if (r.Method is "POST" && r.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            {
                return Error(400, "INVALID_PARAMETER_VALUE", "Bad Request. Content-Type must be one of ['application/json'].");
            }

            return (r.Method, r.Path) switch
            {
                ("GET", "/api/2.0/mlflow/experiments/get-by-name") => GetExperiment(r.Query("experiment_name")!),
                ("POST", "/api/2.0/mlflow/experiments/create") => CreateExperiment(r.Json),
                ("POST", "/api/2.0/mlflow/runs/create") => CreateRun(r.Json),
                ("POST", "/api/2.0/mlflow/runs/search") => SearchRuns(r.Json),
                ("GET", "/api/2.0/mlflow/runs/get") => runs.TryGetValue(r.Query("run_id")!, out var run)
                    ? (200, new JsonObject { ["run"] = run.ToJson() }.ToJsonString())
                    : Error(404, "RESOURCE_DOES_NOT_EXIST", $"Run with id={r.Query("run_id")} not found"),
                ("POST", "/api/2.0/mlflow/runs/log-batch") => LogBatch(r.Json),
                ("POST", "/api/2.0/mlflow/runs/update") => UpdateRun(r.Json),
                ("PUT", var p) when p.StartsWith("/api/2.0/mlflow-artifacts/artifacts/", StringComparison.Ordinal) => PutArtifact(p),
                ("POST", "/api/2.0/mlflow/registered-models/create") => CreateRegisteredModel(r.Json),
                ("GET", "/api/2.0/mlflow/model-versions/search") => SearchVersions(r.Query("filter")!),
                ("POST", "/api/2.0/mlflow/model-versions/create") => CreateVersion(r.Json),
                ("POST", "/api/2.0/mlflow/model-versions/set-tag") => (200, "{}"),
                ("POST", "/api/2.0/mlflow/registered-models/alias") => SetAlias(r.Json),
                ("GET", "/api/2.0/mlflow/registered-models/alias") => GetAlias(r.Query("name")!, r.Query("alias")!),
                _ => (404, "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>"),
            };
        }
    }

    private static (int, string) Error(int status, string code, string message) =>
        (status, new JsonObject { ["error_code"] = code, ["message"] = message }.ToJsonString());

    private (int, string) GetExperiment(string name) =>
        experiments.TryGetValue(name, out var id)
            ? (200, new JsonObject { ["experiment"] = new JsonObject { ["experiment_id"] = id, ["name"] = name, ["artifact_location"] = $"mlflow-artifacts:/{id}", ["lifecycle_stage"] = "active" } }.ToJsonString())
            : Error(404, "RESOURCE_DOES_NOT_EXIST", $"Could not find experiment with name '{name}'");

    private (int, string) CreateExperiment(JsonObject body)
    {
        var name = body["name"]!.GetValue<string>();
        if (experiments.ContainsKey(name))
        {
            return Error(400, "RESOURCE_ALREADY_EXISTS", $"Experiment(name={name}) already exists.");
        }

        var id = (experiments.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        experiments[name] = id;
        return (200, new JsonObject { ["experiment_id"] = id }.ToJsonString());
    }

    private (int, string) CreateRun(JsonObject body)
    {
        var run = new Run(Guid.NewGuid().ToString("N"), body["experiment_id"]!.GetValue<string>(), body["run_name"]?.GetValue<string>() ?? "run", body["start_time"]!.GetValue<long>());
        foreach (var t in body["tags"]?.AsArray() ?? [])
        {
            run.Tags[t!["key"]!.GetValue<string>()] = t["value"]!.GetValue<string>();
        }

        runs[run.Id] = run;
        return (200, new JsonObject { ["run"] = run.ToJson() }.ToJsonString());
    }

    private (int, string) SearchRuns(JsonObject body)
    {
        var ids = body["experiment_ids"]!.AsArray().Select(i => i!.GetValue<string>()).ToHashSet();
        var filter = TagFilter().Match(body["filter"]?.GetValue<string>() ?? string.Empty);
        var found = runs.Values
            .Where(r => ids.Contains(r.ExperimentId))
            .Where(r => !filter.Success || (r.Tags.TryGetValue(filter.Groups[1].Value, out var v) && v == filter.Groups[2].Value))
            .OrderBy(r => r.StartTime)
            .Select(r => (JsonNode)r.ToJson());
        return (200, new JsonObject { ["runs"] = new JsonArray([.. found]) }.ToJsonString());
    }

    private (int, string) LogBatch(JsonObject body)
    {
        var id = body["run_id"]!.GetValue<string>();
        if (!runs.TryGetValue(id, out var run))
        {
            return Error(404, "RESOURCE_DOES_NOT_EXIST", $"Run with id={id} not found");
        }

        var metrics = body["metrics"]?.AsArray() ?? [];
        var parameters = body["params"]?.AsArray() ?? [];
        var tags = body["tags"]?.AsArray() ?? [];
        if (metrics.Count > 1000 || parameters.Count > 100 || tags.Count > 100)
        {
            return Error(400, "INVALID_PARAMETER_VALUE", "A batch logging request can contain at most 1000 metrics, 100 params and 100 tags.");
        }

        foreach (var p in parameters)
        {
            var key = p!["key"]!.GetValue<string>();
            var value = p["value"]!.GetValue<string>();
            if (run.Params.TryGetValue(key, out var old) && old != value)
            {
                return Error(400, "INVALID_PARAMETER_VALUE", $"Changing param values is not allowed. Params were already logged='[{{'key': '{key}', 'old_value': '{old}', 'new_value': '{value}'}}]' for run ID='{id}'.");
            }
        }

        foreach (var p in parameters)
        {
            run.Params[p!["key"]!.GetValue<string>()] = p["value"]!.GetValue<string>();
        }

        foreach (var m in metrics)
        {
            var value = m!["value"]!.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? m["value"]!.GetValue<string>() switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, _ => double.NegativeInfinity }
                : m["value"]!.GetValue<double>();
            run.History.Add((m["key"]!.GetValue<string>(), value));
            run.Metrics[m["key"]!.GetValue<string>()] = value;
        }

        foreach (var t in tags)
        {
            run.Tags[t!["key"]!.GetValue<string>()] = t["value"]!.GetValue<string>();
        }

        return (200, "{}");
    }

    private (int, string) UpdateRun(JsonObject body)
    {
        var run = runs[body["run_id"]!.GetValue<string>()];
        run.Status = body["status"]!.GetValue<string>();
        return (200, new JsonObject { ["run_info"] = run.Info() }.ToJsonString());
    }

    private (int, string) PutArtifact(string path)
    {
        // /api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts/<path>
        var parts = Uri.UnescapeDataString(path["/api/2.0/mlflow-artifacts/artifacts/".Length..]).Split('/', 4);
        runs[parts[1]].Artifacts.Add(parts[3]);
        return (200, "{}");
    }

    private (int, string) CreateRegisteredModel(JsonObject body)
    {
        var name = body["name"]!.GetValue<string>();
        if (versions.ContainsKey(name))
        {
            return Error(400, "RESOURCE_ALREADY_EXISTS", $"Registered Model (name={name}) already exists.");
        }

        versions[name] = [];
        return (200, new JsonObject { ["registered_model"] = new JsonObject { ["name"] = name } }.ToJsonString());
    }

    private (int, string) SearchVersions(string filter)
    {
        var name = NameFilter().Match(filter).Groups[1].Value;
        var list = versions.TryGetValue(name, out var l) ? l : [];
        return (200, new JsonObject { ["model_versions"] = new JsonArray([.. list.AsEnumerable().Reverse().Select(v => (JsonNode)v.DeepClone())]) }.ToJsonString());
    }

    private (int, string) CreateVersion(JsonObject body)
    {
        var name = body["name"]!.GetValue<string>();
        var list = versions[name];
        var version = new JsonObject
        {
            ["name"] = name,
            ["version"] = (list.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["current_stage"] = "None",
            ["source"] = body["source"]!.DeepClone(),
            ["run_id"] = body["run_id"]!.DeepClone(),
            ["status"] = "READY",
            ["tags"] = body["tags"]?.DeepClone() ?? new JsonArray(),
        };
        list.Add(version);
        return (200, new JsonObject { ["model_version"] = version.DeepClone() }.ToJsonString());
    }

    private (int, string) SetAlias(JsonObject body)
    {
        var name = body["name"]!.GetValue<string>();
        if (!aliases.TryGetValue(name, out var map))
        {
            aliases[name] = map = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        map[body["alias"]!.GetValue<string>()] = body["version"]!.GetValue<string>();
        return (200, "{}");
    }

    private (int, string) GetAlias(string name, string alias)
    {
        if (!aliases.TryGetValue(name, out var map) || !map.TryGetValue(alias, out var version))
        {
            return Error(400, "INVALID_PARAMETER_VALUE", $"Registered model alias {alias} not found.");
        }

        var mv = (JsonObject)versions[name].Single(v => v["version"]!.GetValue<string>() == version).DeepClone();
        mv["aliases"] = new JsonArray(alias);
        return (200, new JsonObject { ["model_version"] = mv }.ToJsonString());
    }

    [GeneratedRegex(@"tags\.`([^`]+)` = '(.*)'")]
    private static partial Regex TagFilter();

    [GeneratedRegex(@"name='(.*)'")]
    private static partial Regex NameFilter();

    private sealed class Run(string id, string experimentId, string name, long startTime)
    {
        public string Id { get; } = id;

        public string ExperimentId { get; } = experimentId;

        public long StartTime { get; } = startTime;

        public string Status { get; set; } = "RUNNING";

        public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

        public List<(string Key, double Value)> History { get; } = [];

        public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Artifacts { get; } = new(StringComparer.Ordinal);

        public JsonObject Info() => new()
        {
            ["run_uuid"] = Id,
            ["experiment_id"] = ExperimentId,
            ["run_name"] = name,
            ["user_id"] = string.Empty,
            ["status"] = Status,
            ["start_time"] = StartTime,
            ["artifact_uri"] = $"mlflow-artifacts:/{ExperimentId}/{Id}/artifacts",
            ["lifecycle_stage"] = "active",
            ["run_id"] = Id,
        };

        public JsonObject ToJson() => new()
        {
            ["info"] = Info(),
            ["data"] = new JsonObject
            {
                ["metrics"] = new JsonArray([.. Metrics.Select(m => (JsonNode)new JsonObject { ["key"] = m.Key, ["value"] = global::Tollgate.Tracking.Rest.MlflowJson.MetricValue(m.Value), ["timestamp"] = 1, ["step"] = 0 })]),
                ["params"] = new JsonArray([.. Params.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value })]),
                ["tags"] = new JsonArray([.. Tags.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value })]),
            },
            ["inputs"] = new JsonObject(),
            ["outputs"] = new JsonObject(),
        };
    }
}
