using Tollgate.Tracking.Publishing;

namespace Tollgate.Tracking.Queue;

/// <summary>What a sync uploaded, how many runs stay queued, and why it stopped early (null when the queue was drained).</summary>
public sealed record SyncResult(IReadOnlyList<PublishResult> Uploaded, int Remaining, string? StoppedBecause);
