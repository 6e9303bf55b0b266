namespace Tollgate.Modeling.Thresholds;

/// <summary>The holdout figures at one candidate threshold (predicted positive when score ≥ threshold).</summary>
public sealed record ThresholdPoint(double Threshold, double Precision, double Recall, double F1, double FalsePositiveRate, double Cost, int PredictedPositive);
