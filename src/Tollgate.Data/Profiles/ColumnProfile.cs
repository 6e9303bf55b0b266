namespace Tollgate.Data.Profiles;

/// <summary>
/// What one dump looked like in one column — counts, nulls, moments, quantile sketches split by label class, category
/// frequencies split by label class — small, mergeable and enough for every history, drift and leak check.
/// </summary>
public sealed record ColumnProfile
{
    public required string Name { get; init; }

    /// <summary><c>numeric</c>, <c>categorical</c>, <c>date</c> or <c>other</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Non-null values.</summary>
    public long Count { get; init; }

    public long Nulls { get; init; }

    /// <summary>Values the contract declares as missing (e.g. <c>unknown</c>).</summary>
    public long Missing { get; init; }

    public double Min { get; init; } = double.NaN;

    public double Max { get; init; } = double.NaN;

    public double Sum { get; init; }

    public double SumSquares { get; init; }

    /// <summary>Sum of the values in rows whose label is the positive class (for the point-biserial correlation).</summary>
    public double SumPositive { get; init; }

    /// <summary>Non-null values in rows whose label is the positive class.</summary>
    public long CountPositive { get; init; }

    /// <summary>Sketch of values in positive-label rows.</summary>
    public SketchData? SketchPositive { get; init; }

    /// <summary>Sketch of values in the other rows.</summary>
    public SketchData? SketchNegative { get; init; }

    /// <summary>Category → [rows, positive-label rows]. Capped at 1,000 distinct values (the rest in <see cref="OtherCount"/>).</summary>
    public IReadOnlyDictionary<string, long[]>? Categories { get; init; }

    public long OtherCount { get; init; }

    /// <summary>Earliest/latest date (yyyy-MM-dd) for date columns.</summary>
    public string? MinDate { get; init; }

    public string? MaxDate { get; init; }

    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    public double NullRate(long rows) => rows == 0 ? 0 : (Nulls + Missing) / (double)rows;

    /// <summary>Both label classes' sketches merged.</summary>
    public QuantileSketch Sketch()
    {
        var s = QuantileSketch.From(SketchPositive);
        s.Merge(QuantileSketch.From(SketchNegative));
        return s;
    }
}
