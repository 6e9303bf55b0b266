namespace Tollgate.Tracking.Entities;

/// <summary>An MLflow run as read back from a store: its info and the latest value of each metric.</summary>
public sealed record TrackedRun
{
    public required string RunId { get; init; }

    public required string ExperimentId { get; init; }

    public string? RunName { get; init; }

    public required MlflowRunStatus Status { get; init; }

    public long StartTimeMs { get; init; }

    public long? EndTimeMs { get; init; }

    /// <summary>Root of the run's artifacts (<c>mlflow-artifacts:/…</c> on a server, a local path in a file store).</summary>
    public required string ArtifactUri { get; init; }

    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    /// <summary>Latest value per metric key.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
