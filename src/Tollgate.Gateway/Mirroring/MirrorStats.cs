namespace Tollgate.Gateway.Mirroring;

/// <summary>Counters of the mirror, served on the gateway's state endpoint.</summary>
public sealed record MirrorStats(long Enqueued, long Dropped, long Sent, long Failed, int Queued);
