namespace Tollgate.Core.Specs;

/// <summary>The time-based holdout: the last <see cref="LastDays"/> days of data, or the latest <see cref="LatestFraction"/> of rows by time.</summary>
public sealed record HoldoutSpec(int? LastDays, double? LatestFraction)
{
    public override string ToString() => LastDays is { } d ? $"last {d} days" : $"latest {LatestFraction:P0} by time";
}
