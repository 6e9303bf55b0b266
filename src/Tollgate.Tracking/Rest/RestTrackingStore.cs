using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tollgate.Tracking.Entities;

namespace Tollgate.Tracking.Rest;

/// <summary>
/// <see cref="ITrackingStore"/> over MLflow's REST API 2.0: experiments get-by-name/create, runs create/get/search/
/// log-batch/update, metrics get-history (always with <c>max_results</c>: without it MLflow ≥ 3.4 returns nothing),
/// artifacts through the server's <c>mlflow-artifacts</c> proxy.
/// </summary>
public sealed partial class RestTrackingStore : ITrackingStore
{
    /// <summary>MLflow's log-batch limits per request.</summary>
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;

    /// <summary>Page size for metric history. <value>25 000, MLflow's default for get-history pages.</value></summary>
    public const int HistoryPageSize = 25_000;

    private const string Api = "api/2.0/mlflow/";
    private const string ArtifactsApi = "api/2.0/mlflow-artifacts/artifacts/";
    private readonly MlflowHttpClient client;

    public RestTrackingStore(MlflowHttpClient client)
    {
        this.client = client;
    }

    public string Location => client.BaseUri.ToString().TrimEnd('/');

    public async Task<string> GetOrCreateExperimentAsync(string name, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        if (await TryGetExperimentIdAsync(name, cancellationToken) is { } id)
        {
            return id;
        }

        var body = new JsonObject { ["name"] = name };
        if (tags.Count > 0)
        {
            body["tags"] = MlflowJson.KeyValues(tags.OrderBy(t => t.Key, StringComparer.Ordinal));
        }

        try
        {
            var created = await client.SendAsync(HttpMethod.Post, Api + "experiments/create", body, cancellationToken);
            return MlflowJson.ReadString(created?["experiment_id"])!;
        }
        catch (MlflowApiException ex) when (ex.ErrorCode == "RESOURCE_ALREADY_EXISTS")
        {
            // Another pipeline created it between our lookup and create: use theirs.
            return await TryGetExperimentIdAsync(name, cancellationToken)
                ?? throw new InvalidOperationException($"MLflow says experiment '{name}' exists but get-by-name does not find it.", ex);
        }
    }

    public async Task<IReadOnlyList<TrackedRun>> FindRunsByTagAsync(string experimentId, string tagKey, string tagValue, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["experiment_ids"] = new JsonArray(experimentId),
            ["filter"] = $"tags.`{tagKey}` = '{tagValue.Replace("'", "\\'", StringComparison.Ordinal)}'",
            ["max_results"] = 100,
            ["order_by"] = new JsonArray("attributes.start_time ASC"),
        };
        var answer = await client.SendAsync(HttpMethod.Post, Api + "runs/search", body, cancellationToken);
        return [.. (answer?["runs"] as JsonArray ?? []).Where(r => r is not null).Select(r => MlflowJson.ReadRun(r!))];
    }

    public async Task<TrackedRun?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await client.SendAsync(HttpMethod.Get, Api + "runs/get?run_id=" + Uri.EscapeDataString(runId), null, cancellationToken);
            return MlflowJson.ReadRun(answer!["run"]!);
        }
        catch (MlflowApiException ex) when (ex.ErrorCode == "RESOURCE_DOES_NOT_EXIST")
        {
            return null;
        }
    }

    public async Task<TrackedRun> CreateRunAsync(string experimentId, string runName, long startTimeMs, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var allTags = new SortedDictionary<string, string>(tags.ToDictionary(), StringComparer.Ordinal) { ["mlflow.runName"] = runName };
        var body = new JsonObject
        {
            ["experiment_id"] = experimentId,
            ["run_name"] = runName,
            ["start_time"] = startTimeMs,
            ["tags"] = MlflowJson.KeyValues(allTags),
        };
        var answer = await client.SendAsync(HttpMethod.Post, Api + "runs/create", body, cancellationToken);
        return MlflowJson.ReadRun(answer!["run"]!);
    }

    public async Task LogBatchAsync(
        string runId,
        IReadOnlyList<MetricPoint> metrics,
        IReadOnlyDictionary<string, string> parameters,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken)
    {
        var paramList = parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var tagList = tags.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var batches = Math.Max(
            Math.Max(Chunks(metrics.Count, MaxMetricsPerBatch), Chunks(paramList.Count, MaxParamsPerBatch)),
            Chunks(tagList.Count, MaxTagsPerBatch));
        for (var i = 0; i < batches; i++)
        {
            var body = new JsonObject { ["run_id"] = runId };
            var p = paramList.Skip(i * MaxParamsPerBatch).Take(MaxParamsPerBatch).ToList();
            var m = metrics.Skip(i * MaxMetricsPerBatch).Take(MaxMetricsPerBatch).ToList();
            var t = tagList.Skip(i * MaxTagsPerBatch).Take(MaxTagsPerBatch).ToList();
            if (p.Count > 0)
            {
                body["params"] = MlflowJson.KeyValues(p);
            }

            if (m.Count > 0)
            {
                body["metrics"] = new JsonArray([.. m.Select(x => (JsonNode)MlflowJson.Metric(x))]);
            }

            if (t.Count > 0)
            {
                body["tags"] = MlflowJson.KeyValues(t);
            }

            try
            {
                await client.SendAsync(HttpMethod.Post, Api + "runs/log-batch", body, cancellationToken);
            }
            catch (MlflowApiException ex) when (ex.Status == HttpStatusCode.BadRequest && ex.ServerMessage.Contains("Changing param values", StringComparison.Ordinal))
            {
                var match = ChangedParam().Match(ex.ServerMessage);
                throw match.Success
                    ? new ParamConflictException(runId, match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value)
                    : new ParamConflictException(runId, "?", "?", "?");
            }
        }
    }

    public async Task UpdateRunAsync(string runId, MlflowRunStatus status, long endTimeMs, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["run_id"] = runId,
            ["status"] = status.ToString().ToUpperInvariant(),
            ["end_time"] = endTimeMs,
        };
        await client.SendAsync(HttpMethod.Post, Api + "runs/update", body, cancellationToken);
    }

    public async Task<IReadOnlyList<MetricPoint>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken)
    {
        var points = new List<MetricPoint>();
        string? pageToken = null;
        do
        {
            // max_results is mandatory in practice: MLflow ≥ 3.4 answers an empty page without it.
            var query = $"metrics/get-history?run_id={Uri.EscapeDataString(runId)}&metric_key={Uri.EscapeDataString(key)}&max_results={HistoryPageSize}"
                + (pageToken is null ? string.Empty : "&page_token=" + Uri.EscapeDataString(pageToken));
            var answer = await client.SendAsync(HttpMethod.Get, Api + query, null, cancellationToken);
            var page = (answer?["metrics"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(m => new MetricPoint(key, MlflowJson.ReadDouble(m["value"]), MlflowJson.ReadLong(m["timestamp"]), MlflowJson.ReadLong(m["step"])))
                .ToList();
            points.AddRange(page);
            pageToken = page.Count > 0 ? MlflowJson.ReadString(answer?["next_page_token"]) : null;
        }
        while (!string.IsNullOrEmpty(pageToken));

        return points;
    }

    public Task LogArtifactAsync(TrackedRun run, string localPath, string artifactPath, CancellationToken cancellationToken) =>
        client.PutFileAsync(ArtifactsApi + ProxyPath(run, artifactPath), localPath, ContentType(localPath), cancellationToken);

    public async Task<IReadOnlyList<string>> ListArtifactsAsync(TrackedRun run, string path, CancellationToken cancellationToken)
    {
        var query = "artifacts/list?run_id=" + Uri.EscapeDataString(run.RunId) + (path.Length > 0 ? "&path=" + Uri.EscapeDataString(path) : string.Empty);
        var answer = await client.SendAsync(HttpMethod.Get, Api + query, null, cancellationToken);
        return [.. (answer?["files"] as JsonArray ?? []).OfType<JsonObject>().Select(f => MlflowJson.ReadString(f["path"]) ?? string.Empty)];
    }

    public string RunLink(TrackedRun run) => $"{Location}/#/experiments/{run.ExperimentId}/runs/{run.RunId}";

    /// <summary>
    /// The proxy path of an artifact: the run's <c>mlflow-artifacts:/&lt;exp&gt;/&lt;run&gt;/artifacts</c> root without its
    /// scheme, plus the artifact path, each segment escaped.
    /// </summary>
    public static string ProxyPath(TrackedRun run, string artifactPath)
    {
        const string scheme = "mlflow-artifacts:";
        if (!run.ArtifactUri.StartsWith(scheme, StringComparison.Ordinal))
        {
            throw new Core.Errors.ConfigurationException(
                $"MLflow run {run.RunId} stores artifacts at '{run.ArtifactUri}', which Tollgate cannot upload to directly. " +
                "Start the tracking server with artifact proxying (mlflow server --serve-artifacts, the default since MLflow 2.0) " +
                "so artifact roots are mlflow-artifacts:/ URIs.");
        }

        var root = run.ArtifactUri[scheme.Length..].TrimStart('/');
        if (root.StartsWith("/", StringComparison.Ordinal) || root.Contains("://", StringComparison.Ordinal))
        {
            root = new Uri(run.ArtifactUri).AbsolutePath.TrimStart('/');
        }

        return string.Join('/', (root + "/" + artifactPath).Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
    }

    private static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".html" or ".htm" => "text/html",
        ".md" => "text/markdown",
        ".txt" or ".log" => "text/plain",
        ".csv" => "text/csv",
        ".yaml" or ".yml" => "application/x-yaml",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };

    private static int Chunks(int count, int size) => (count + size - 1) / size;

    private async Task<string?> TryGetExperimentIdAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await client.SendAsync(HttpMethod.Get, Api + "experiments/get-by-name?experiment_name=" + Uri.EscapeDataString(name), null, cancellationToken);
            return MlflowJson.ReadString(answer?["experiment"]?["experiment_id"]);
        }
        catch (MlflowApiException ex) when (ex.ErrorCode == "RESOURCE_DOES_NOT_EXIST")
        {
            return null;
        }
    }

    [GeneratedRegex(@"'key': '(.*?)', 'old_value': '(.*?)', 'new_value': '(.*?)'")]
    private static partial Regex ChangedParam();
}
