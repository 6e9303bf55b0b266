namespace Tollgate.Modeling.Thresholds;

/// <summary>
/// <c>candidate/threshold.json</c>: the learned decision threshold with the requirement it meets and what it achieved on
/// the holdout. It sits in the candidate folder so a rollback brings the matching threshold back with the model.
/// </summary>
public sealed record ThresholdRecord
{
    public required double Threshold { get; init; }

    /// <summary>The requirement in words, e.g. <c>recall ≥ 0.6, then maximise precision</c>.</summary>
    public required string Requirement { get; init; }

    public required string Objective { get; init; }

    public required IReadOnlyDictionary<string, double> Minimum { get; init; }

    /// <summary>Holdout figures at the threshold: precision, recall, f1, falsePositiveRate, cost, predictedPositiveShare.</summary>
    public required IReadOnlyDictionary<string, double> Holdout { get; init; }

    /// <summary>SHA-256 of the holdout scores file the threshold was learned from.</summary>
    public required string ScoresSha256 { get; init; }

    public required string RunId { get; init; }

    public required DateTimeOffset LearnedAt { get; init; }
}
