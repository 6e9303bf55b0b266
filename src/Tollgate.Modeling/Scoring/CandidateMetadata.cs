namespace Tollgate.Modeling.Scoring;

/// <summary>
/// <c>candidate/candidate.json</c>: everything needed to trust, serve and reproduce a release candidate — where it came
/// from (run, spec hash, data period), how it was trained, how it scored on the holdout against the naive baseline,
/// and the decision threshold (which lives here so it rolls back with the model).
/// </summary>
public sealed record CandidateMetadata
{
    public const string FileName = "candidate.json";

    public required string Model { get; init; }

    /// <summary>Release version; the run id.</summary>
    public required string Version { get; init; }

    public required string RunId { get; init; }

    /// <summary><c>binary-classification</c> or <c>regression</c>.</summary>
    public required string Task { get; init; }

    public required string SpecPath { get; init; }

    public required string SpecSha256 { get; init; }

    public required string ContractPath { get; init; }

    public required string Trainer { get; init; }

    public required IReadOnlyDictionary<string, double> Hyperparameters { get; init; }

    public required int Seed { get; init; }

    public required FeatureSchema Features { get; init; }

    public required string LabelColumn { get; init; }

    public string? PositiveClass { get; init; }

    public required string TimestampColumn { get; init; }

    public IReadOnlyList<string> KeyColumns { get; init; } = [];

    /// <summary>The naive baseline kind (prior, majority, mean, last, seasonal).</summary>
    public required string Baseline { get; init; }

    public required IReadOnlyDictionary<string, double> HoldoutMetrics { get; init; }

    public required IReadOnlyDictionary<string, double> BaselineMetrics { get; init; }

    /// <summary>The holdout rule, e.g. <c>last 120 days</c>.</summary>
    public required string Holdout { get; init; }

    public required string DataPeriodStart { get; init; }

    public required string DataPeriodEnd { get; init; }

    public required string HoldoutPeriodStart { get; init; }

    /// <summary>Rows the candidate was trained on (train + holdout).</summary>
    public required int TrainingRows { get; init; }

    public required DateTimeOffset TrainedAt { get; init; }

    /// <summary>Git commit the run was made from (run.json <c>gitCommit</c>); null in candidates written before it was recorded.</summary>
    public string? Commit { get; init; }

    /// <summary>Decision threshold on the probability (binary). <value>0.5 until Learn-Thresholds sets it.</value></summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Where the threshold came from: <c>default</c> or the learned requirement.</summary>
    public string ThresholdSource { get; init; } = "default";
}
