namespace Tollgate.Release.Configuration;

/// <summary>Shadow gates (<c>shadow.gates</c> in model.yaml).</summary>
/// <param name="MinRequests">Least number of answered requests before any verdict.</param>
/// <param name="MaxErrorRate">Highest share of 5xx or failed requests to the candidate.</param>
/// <param name="MaxP99Ms">Highest candidate p99 latency in ms — the only latency gate on a first release.</param>
/// <param name="MaxP99Ratio">Highest candidate p99 / production p99 (null: not gated).</param>
/// <param name="MinAgreement">Least share of requests where both models give the same label at their own threshold (null: not gated).</param>
public sealed record ShadowGates(int MinRequests, double MaxErrorRate, double MaxP99Ms, double? MaxP99Ratio, double? MinAgreement);
