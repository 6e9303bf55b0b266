namespace Tollgate.Serving.Scoring;

/// <summary>The identity of the served model, answered by <c>GET /v1/metadata</c> and written into every serving-log line.</summary>
/// <param name="Name">Model name (model.yaml <c>name</c>).</param>
/// <param name="Version">Release version of the candidate.</param>
/// <param name="RunId">The run that produced the candidate.</param>
/// <param name="Task">Model task, e.g. <c>binary-classification</c>.</param>
/// <param name="Threshold">Decision threshold for the label (binary models), null for regression.</param>
/// <param name="ThresholdSource">Where the threshold came from: <c>learned</c> (threshold.json) or <c>default</c>.</param>
/// <param name="TrainedAt">When training finished.</param>
/// <param name="DataPeriodStart">First day of the training data.</param>
/// <param name="DataPeriodEnd">Last day of the training data.</param>
/// <param name="Commit">Git commit of the pipeline that trained it.</param>
public sealed record ServedModelInfo(
    string Name,
    string Version,
    string RunId,
    string Task,
    double? Threshold,
    string ThresholdSource,
    DateTimeOffset? TrainedAt,
    string? DataPeriodStart,
    string? DataPeriodEnd,
    string? Commit);
