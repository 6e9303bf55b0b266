using Tollgate.Tracking.Entities;

namespace Tollgate.Tracking;

/// <summary>
/// The tracking half of MLflow that Tollgate uses: experiments, runs, params/metrics/tags in batches, artifacts.
/// Implemented over REST (<see cref="Rest.RestTrackingStore"/>) and MLflow's file-store layout
/// (<see cref="FileStore.FileTrackingStore"/>), so the rest of Tollgate never knows which one it talks to.
/// </summary>
public interface ITrackingStore
{
    /// <summary>Human-readable location, e.g. <c>http://127.0.0.1:5000</c> or <c>/repo/mlruns</c>.</summary>
    string Location { get; }

    /// <summary>The experiment id of <paramref name="name"/>, creating the experiment (with <paramref name="tags"/>) if missing.</summary>
    Task<string> GetOrCreateExperimentAsync(string name, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>Runs of the experiment whose tag <paramref name="tagKey"/> equals <paramref name="tagValue"/>.</summary>
    Task<IReadOnlyList<TrackedRun>> FindRunsByTagAsync(string experimentId, string tagKey, string tagValue, CancellationToken cancellationToken);

    Task<TrackedRun?> GetRunAsync(string runId, CancellationToken cancellationToken);

    Task<TrackedRun> CreateRunAsync(string experimentId, string runName, long startTimeMs, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// Logs params, metrics and tags. Implementations split into MLflow's batch limits. Re-logging a param with a
    /// different value throws <see cref="ParamConflictException"/>, as MLflow does.
    /// </summary>
    Task LogBatchAsync(
        string runId,
        IReadOnlyList<MetricPoint> metrics,
        IReadOnlyDictionary<string, string> parameters,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken);

    Task UpdateRunAsync(string runId, MlflowRunStatus status, long endTimeMs, CancellationToken cancellationToken);

    /// <summary>Full history of one metric.</summary>
    Task<IReadOnlyList<MetricPoint>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken);

    /// <summary>Uploads one local file to <paramref name="artifactPath"/> (forward slashes, relative to the run's artifact root).</summary>
    Task LogArtifactAsync(TrackedRun run, string localPath, string artifactPath, CancellationToken cancellationToken);

    /// <summary>Artifact paths directly under <paramref name="path"/> (empty for the root).</summary>
    Task<IReadOnlyList<string>> ListArtifactsAsync(TrackedRun run, string path, CancellationToken cancellationToken);

    /// <summary>A link a reviewer can open for the run (UI URL on a server, the run folder in a file store).</summary>
    string RunLink(TrackedRun run);
}
