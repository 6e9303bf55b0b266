namespace Tollgate.Modeling.Scoring;

/// <summary>
/// Why the model scored a row as it did: per-feature contributions from ML.NET's feature-contribution calculation for
/// tree ensembles, ordered by absolute size, and the base value such that base + Σ contributions = raw score.
/// </summary>
/// <param name="Prediction">The row's prediction.</param>
/// <param name="BaseValue">Raw score not attributed to any feature.</param>
/// <param name="Contributions">One entry per feature, largest absolute contribution first.</param>
public sealed record Explanation(Prediction Prediction, double BaseValue, IReadOnlyList<FeatureContribution> Contributions);
