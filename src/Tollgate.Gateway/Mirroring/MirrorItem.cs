using Tollgate.Core.Releases;

namespace Tollgate.Gateway.Mirroring;

/// <summary>A copy of one production exchange, queued for the shadow.</summary>
public sealed record MirrorItem(
    string RequestId,
    DateTimeOffset At,
    string Method,
    string PathAndQuery,
    string? ContentType,
    byte[] Body,
    GatewayUpstream Production,
    int ProductionStatus,
    double ProductionMs,
    string? ProductionBody,
    GatewayUpstream Shadow);
