namespace Tollgate.Data.Profiles;

/// <summary>The stored form of a <see cref="QuantileSketch"/>: bucket keys (ascending) and their counts.</summary>
public sealed record SketchData(int[] Keys, long[] Counts);
