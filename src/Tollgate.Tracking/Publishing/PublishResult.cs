namespace Tollgate.Tracking.Publishing;

/// <summary>What <see cref="MlflowPublisher"/> did for one run.</summary>
/// <param name="TrackingUri">Server URL or file-store folder.</param>
/// <param name="ExperimentId">MLflow experiment id.</param>
/// <param name="MlflowRunId">MLflow run id (32 hex digits).</param>
/// <param name="RunLink">Where a reviewer opens the run.</param>
/// <param name="ReusedExistingRun">True when an earlier upload of the same Tollgate run was completed instead of duplicated.</param>
/// <param name="SupersededRunId">The MLflow run this one replaces, when the run directory's params changed since the last upload.</param>
/// <param name="ParamsLogged">Params sent (already-logged identical params are not resent).</param>
/// <param name="MetricsLogged">Metrics sent (unchanged metrics are not resent).</param>
/// <param name="TagsLogged">Tags sent.</param>
/// <param name="ArtifactsLogged">Artifacts uploaded.</param>
/// <param name="ArtifactBytes">Bytes uploaded.</param>
/// <param name="RegisteredModel">Registered model name, when a candidate was registered.</param>
/// <param name="ModelVersion">Model version of the release candidate, or null when the run has none.</param>
/// <param name="Comparison">The comparison with the champion.</param>
public sealed record PublishResult(
    string TrackingUri,
    string ExperimentId,
    string MlflowRunId,
    string RunLink,
    bool ReusedExistingRun,
    string? SupersededRunId,
    int ParamsLogged,
    int MetricsLogged,
    int TagsLogged,
    int ArtifactsLogged,
    long ArtifactBytes,
    string? RegisteredModel,
    string? ModelVersion,
    Comparison.ComparisonResult Comparison);
