namespace Tollgate.Tracking.LogMlflow;

/// <summary>
/// <c>&lt;run&gt;/log-mlflow/mlflow-run.json</c>: where the run went in MLflow. The release stages read it to tag the
/// model version (image digest) and move the <c>challenger</c>/<c>champion</c> aliases.
/// </summary>
public sealed record MlflowRunRecord
{
    public const string FileName = "mlflow-run.json";

    public required string TrackingUri { get; init; }

    public required string ExperimentId { get; init; }

    public required string MlflowRunId { get; init; }

    public required string RunLink { get; init; }

    public string? RegisteredModel { get; init; }

    public string? ModelVersion { get; init; }

    public string? ComparisonHtml { get; init; }

    public required DateTimeOffset LoggedAt { get; init; }
}
