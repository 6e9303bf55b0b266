using System.Text.Json.Nodes;

namespace Tollgate.Core.Stages;

/// <summary>
/// The <c>report.json</c> every stage writes last into its folder of the run directory. Its presence means the stage
/// finished; <see cref="Outcome"/> says how.
/// </summary>
public sealed record StageReport
{
    public required string Stage { get; init; }

    public required string Model { get; init; }

    public required StageOutcome Outcome { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>One-line summary for the console and for MLflow tags.</summary>
    public required string Summary { get; init; }

    public IReadOnlyList<CheckResult> Checks { get; init; } = [];

    /// <summary>Named figures (metrics, counts, timings) for tracking and comparison.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Files the stage produced, relative to the stage folder.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>Stage-specific detail for readers and later stages.</summary>
    public JsonObject? Details { get; init; }

    /// <summary>Outcome derived from checks: any blocking failure rejects.</summary>
    public static StageOutcome OutcomeOf(IEnumerable<CheckResult> checks) =>
        checks.Any(c => c.IsBlocking) ? StageOutcome.Rejected : StageOutcome.Passed;
}
