namespace Tollgate.Modeling.Scoring;

/// <summary>The model's answer for one row (a value: the server answers a row without allocating one).</summary>
/// <param name="Score">Binary: the calibrated probability of the positive class. Regression: the predicted value.</param>
/// <param name="RawScore">The trainer's raw output (binary: the margin before calibration; regression: same as <paramref name="Score"/>).</param>
/// <param name="IsPositive">Binary: <paramref name="Score"/> at or above the model's threshold. Regression: null.</param>
/// <param name="Threshold">The decision threshold used (binary), else null.</param>
public readonly record struct Prediction(double Score, double RawScore, bool? IsPositive, double? Threshold);
