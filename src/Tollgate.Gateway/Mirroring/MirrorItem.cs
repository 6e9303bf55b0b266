using Tollgate.Core.Releases;

namespace Tollgate.Gateway.Mirroring;

/// <summary>
/// A copy of one production exchange, queued for the shadow. Bodies are kept as the bytes production saw (no decoding
/// on the request path); the mirror worker turns them into text for the log.
/// </summary>
public sealed record MirrorItem(
    string RequestId,
    DateTimeOffset At,
    string Method,
    string PathAndQuery,
    string? ContentType,
    ReadOnlyMemory<byte> Body,
    GatewayUpstream Production,
    int ProductionStatus,
    double ProductionMs,
    ReadOnlyMemory<byte> ProductionBody,
    GatewayUpstream Shadow,
    string LogPath);
