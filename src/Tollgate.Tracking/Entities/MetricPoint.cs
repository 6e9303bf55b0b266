namespace Tollgate.Tracking.Entities;

/// <summary>One metric value as MLflow stores it: key, value (NaN and infinities allowed), time in ms since the epoch, step.</summary>
public sealed record MetricPoint(string Key, double Value, long TimestampMs, long Step = 0);
