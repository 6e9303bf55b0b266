namespace Tollgate.Modeling.Evaluation;

/// <summary>One group of a slice (e.g. <c>marital = single</c>): its size and metrics on the holdout.</summary>
public sealed record SliceGroup(string Value, int Rows, int Positives, IReadOnlyDictionary<string, double> Metrics);
