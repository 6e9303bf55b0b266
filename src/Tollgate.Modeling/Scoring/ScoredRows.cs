namespace Tollgate.Modeling.Scoring;

/// <summary>Scores of a batch, row-aligned with the input table.</summary>
/// <param name="Scores">Binary: calibrated probability of the positive class. Regression: predicted value.</param>
/// <param name="RawScores">Binary: margin before calibration. Regression: same as <paramref name="Scores"/>.</param>
public sealed record ScoredRows(double[] Scores, double[] RawScores);
