using Tollgate.Tracking.Publishing;

namespace Tollgate.Tracking.Queue;

/// <summary>One run waiting in the local queue (<c>artifacts/mlflow-queue/&lt;run-id&gt;.json</c>) for <c>tollgate mlflow sync</c>.</summary>
public sealed record PendingUpload
{
    public required DateTimeOffset QueuedAt { get; init; }

    /// <summary>The tracking URI that was unreachable; sync uses MLFLOW_TRACKING_URI when set, else this.</summary>
    public required string TrackingUri { get; init; }

    public required string ExperimentName { get; init; }

    public required string RegisteredModelName { get; init; }

    /// <summary>Why it was queued (the error message).</summary>
    public required string Reason { get; init; }

    public required RunPayload Payload { get; init; }
}
