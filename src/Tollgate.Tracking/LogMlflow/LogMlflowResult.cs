using Tollgate.Core.Stages;
using Tollgate.Tracking.Publishing;

namespace Tollgate.Tracking.LogMlflow;

/// <summary>The outcome of Log-MLflow: the stage report, and either the upload or the queue entry that replaced it.</summary>
/// <param name="Report">The stage's report.json.</param>
/// <param name="Published">What was logged, when the tracking store was reachable.</param>
/// <param name="QueuedAt">The queue file, when the server was unreachable and tracking is optional.</param>
public sealed record LogMlflowResult(StageReport Report, PublishResult? Published, string? QueuedAt);
