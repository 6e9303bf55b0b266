namespace Tollgate.Gateway.Mirroring;

/// <summary>
/// One line of the mirror log: the request, the production answer the client got and the shadow's answer, which is
/// only ever logged. Shadow-Deploy in <c>mirror</c> mode reads these to measure the candidate on live traffic.
/// </summary>
public sealed record MirrorRecord(
    string RequestId,
    DateTimeOffset At,
    string Method,
    string Path,
    string? RequestBody,
    string ProductionVersion,
    int ProductionStatus,
    double ProductionMs,
    string? ProductionBody,
    string ShadowVersion,
    int? ShadowStatus,
    double? ShadowMs,
    string? ShadowBody,
    string? ShadowError);
