namespace Tollgate.Tracking.Publishing;

/// <summary>A gate check of an earlier stage, carried along so the champion comparison can show verdicts next to metrics.</summary>
/// <param name="Stage">Stage that ran the gate.</param>
/// <param name="Id">Check id, e.g. <c>gate.auc.minimum</c>.</param>
/// <param name="Metric">Metric the gate is about, when it names one.</param>
/// <param name="Status">Passed, Failed or Skipped.</param>
/// <param name="Observed">Measured value as the stage reported it.</param>
/// <param name="Expected">What the gate demands.</param>
public sealed record GateVerdict(string Stage, string Id, string? Metric, string Status, string? Observed, string? Expected);
