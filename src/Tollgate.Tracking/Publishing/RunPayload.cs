namespace Tollgate.Tracking.Publishing;

/// <summary>
/// Everything Log-MLflow sends for one Tollgate run, built from the run directory by <see cref="RunPayloadBuilder"/>.
/// Serialisable, so a run that could not be uploaded waits in the queue exactly as it would have been sent.
/// </summary>
public sealed record RunPayload
{
    /// <summary>Model name (<c>tollgate.model</c> tag, registered model default).</summary>
    public required string Model { get; init; }

    /// <summary>The Tollgate run id (run-directory name); the key that makes re-logging idempotent.</summary>
    public required string TollgateRunId { get; init; }

    /// <summary>Absolute run directory the payload was built from.</summary>
    public required string RunDirectory { get; init; }

    public required long StartTimeMs { get; init; }

    /// <summary>When the payload was built; metric timestamps and the run's end time.</summary>
    public required long LoggedAtMs { get; init; }

    /// <summary>True when any stage rejected the run: the MLflow run ends FAILED.</summary>
    public bool AnyStageRejected { get; init; }

    public required IReadOnlyDictionary<string, string> Params { get; init; }

    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    public required IReadOnlyList<ArtifactFile> Artifacts { get; init; }

    /// <summary>The release candidate's folder when holdout-validate produced one; it becomes a model version.</summary>
    public string? CandidateDirectory { get; init; }

    /// <summary>The learned decision threshold, when known (model-version tag).</summary>
    public string? Threshold { get; init; }

    public IReadOnlyList<GateVerdict> Gates { get; init; } = [];
}
