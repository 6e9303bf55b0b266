namespace Tollgate.Modeling.Training;

/// <summary>
/// <c>train/split.json</c>: where the time split fell and what is on each side. Later stages re-read the accepted data,
/// split it again and check the result against this file, so every stage judges exactly the same holdout rows.
/// </summary>
public sealed record SplitInfo
{
    public const string FileName = "split.json";

    /// <summary>How the holdout was chosen, e.g. <c>last 120 days</c>.</summary>
    public required string Rule { get; init; }

    /// <summary>Earliest timestamp in the holdout; every training row is strictly earlier.</summary>
    public required DateTime HoldoutStart { get; init; }

    public required DateTime TrainStart { get; init; }

    public required DateTime TrainEnd { get; init; }

    public required DateTime HoldoutEnd { get; init; }

    public required int TrainRows { get; init; }

    public required int HoldoutRows { get; init; }

    /// <summary>SHA-256 over the holdout's row keys in time order: the identity of the holdout.</summary>
    public required string HoldoutKeysSha256 { get; init; }

    /// <summary>Days the whole data spans (first to last timestamp, inclusive).</summary>
    public required int DataDays { get; init; }
}
