using Tollgate.Core.IO;
using Tollgate.Core.Stages;
using Tollgate.Tracking.Comparison;
using Tollgate.Tracking.Entities;

namespace Tollgate.Tracking.Publishing;

/// <summary>
/// Uploads a <see cref="RunPayload"/> idempotently. The MLflow run is found again by its <c>tollgate.run_id</c> tag,
/// params already logged with the same value and unchanged metrics are not resent, artifacts overwrite, and the model
/// version is reused when one exists for the run — so re-running Log-MLflow or a later <c>tollgate mlflow sync</c>
/// never duplicates. A param whose value changed (the run directory was re-made) starts a new MLflow run that names
/// the one it supersedes, instead of the 400 MLflow would answer.
/// </summary>
public sealed class MlflowPublisher
{
    public const string RunIdTag = "tollgate.run_id";
    public const string ChampionAlias = "champion";
    public const string ComparisonMarkdown = "comparison.md";
    public const string ComparisonHtml = "comparison.html";

    /// <summary>Model-version tag holding the container image digest.</summary>
    public const string ImageDigestTag = "image_digest";

    private readonly ITrackingStore store;
    private readonly IModelRegistry registry;
    private readonly IStageLog log;

    public MlflowPublisher(ITrackingStore store, IModelRegistry registry, IStageLog log)
    {
        this.store = store;
        this.registry = registry;
        this.log = log;
    }

    /// <param name="payload">What to log.</param>
    /// <param name="experimentName">MLflow experiment.</param>
    /// <param name="registeredModel">Registered model for the candidate.</param>
    /// <param name="outputDir">Where the comparison files are written (the run's log-mlflow folder).</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    public async Task<PublishResult> PublishAsync(RunPayload payload, string experimentName, string registeredModel, string outputDir, CancellationToken cancellationToken)
    {
        var experimentId = await store.GetOrCreateExperimentAsync(
            experimentName,
            new Dictionary<string, string> { ["tollgate.model"] = payload.Model },
            cancellationToken);
        var existing = (await store.FindRunsByTagAsync(experimentId, RunIdTag, payload.TollgateRunId, cancellationToken))
            .Where(r => !r.Tags.ContainsKey("tollgate.superseded_by"))
            .OrderBy(r => r.StartTimeMs)
            .LastOrDefault();
        string? superseded = null;
        if (existing is not null && ChangedParam(existing, payload) is { } changed)
        {
            log.Warning($"MLflow run {existing.RunId} has param '{changed}' = '{existing.Params[changed]}', the run directory now says '{payload.Params[changed]}'; " +
                        "MLflow params are immutable, so a new MLflow run supersedes it.");
            superseded = existing.RunId;
            existing = null;
        }

        var run = existing ?? await store.CreateRunAsync(experimentId, payload.TollgateRunId, payload.StartTimeMs, RunTags(payload, superseded), cancellationToken);
        if (superseded is not null)
        {
            await store.LogBatchAsync(superseded, [], new Dictionary<string, string>(), new Dictionary<string, string> { ["tollgate.superseded_by"] = run.RunId }, cancellationToken);
        }

        log.Info(existing is null ? $"created MLflow run {run.RunId} in experiment '{experimentName}' ({experimentId})" : $"completing MLflow run {run.RunId} logged earlier for {payload.TollgateRunId}");

        var newParams = payload.Params.Where(p => !run.Params.TryGetValue(p.Key, out var v) || v != p.Value).ToDictionary();
        var newMetrics = payload.Metrics
            .Where(m => !run.Metrics.TryGetValue(m.Key, out var v) || !SameValue(v, m.Value))
            .Select(m => new MetricPoint(m.Key, m.Value, payload.LoggedAtMs, 0))
            .ToList();
        var tags = payload.Tags.Where(t => !run.Tags.TryGetValue(t.Key, out var v) || v != t.Value).ToDictionary();
        try
        {
            await store.LogBatchAsync(run.RunId, newMetrics, newParams, tags, cancellationToken);
        }
        catch (ParamConflictException ex)
        {
            // Someone logged a different value between our read and write: say so plainly rather than guess.
            throw new Core.Errors.ConfigurationException(
                $"{ex.Message} Re-run the pipeline into a new run directory, or delete MLflow run {ex.RunId} if its values are wrong.");
        }

        long bytes = 0;
        var uploaded = 0;
        foreach (var (artifact, i) in payload.Artifacts.Select((a, i) => (a, i)))
        {
            if (!File.Exists(artifact.LocalPath))
            {
                log.Warning($"{artifact.LocalPath}: gone since the payload was built; not uploaded.");
                continue;
            }

            await store.LogArtifactAsync(run, artifact.LocalPath, artifact.ArtifactPath, cancellationToken);
            bytes += new FileInfo(artifact.LocalPath).Length;
            uploaded++;
            log.Progress("artifacts", (i + 1.0) / payload.Artifacts.Count);
        }

        string? version = null;
        if (payload.CandidateDirectory is not null)
        {
            version = await RegisterCandidateAsync(payload, run, registeredModel, cancellationToken);
        }

        var comparison = await CompareWithChampionAsync(payload, run, registeredModel, outputDir, cancellationToken);
        await store.UpdateRunAsync(run.RunId, payload.AnyStageRejected ? MlflowRunStatus.Failed : MlflowRunStatus.Finished, payload.LoggedAtMs, cancellationToken);
        return new PublishResult(
            store.Location,
            experimentId,
            run.RunId,
            store.RunLink(run),
            existing is not null,
            superseded,
            newParams.Count,
            newMetrics.Count,
            tags.Count,
            uploaded,
            bytes,
            version is null ? null : registeredModel,
            version,
            comparison);
    }

    private static Dictionary<string, string> RunTags(RunPayload payload, string? superseded)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [RunIdTag] = payload.TollgateRunId };
        if (superseded is not null)
        {
            tags["tollgate.supersedes"] = superseded;
        }

        return tags;
    }

    private static string? ChangedParam(TrackedRun run, RunPayload payload) =>
        payload.Params.Where(p => run.Params.TryGetValue(p.Key, out var v) && v != p.Value).Select(p => p.Key).FirstOrDefault();

    private static bool SameValue(double a, double b) => a.Equals(b) || (double.IsNaN(a) && double.IsNaN(b));

    private async Task<string> RegisterCandidateAsync(RunPayload payload, TrackedRun run, string registeredModel, CancellationToken cancellationToken)
    {
        await registry.EnsureRegisteredModelAsync(registeredModel, $"Release candidates of '{payload.Model}', logged by Tollgate.", cancellationToken);
        var existing = (await registry.SearchVersionsAsync(registeredModel, cancellationToken)).FirstOrDefault(v => v.RunId == run.RunId);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [RunIdTag] = payload.TollgateRunId };
        if (payload.Threshold is { } threshold)
        {
            tags["threshold"] = threshold;
        }

        // Build-Image may record the image digest in the candidate's metadata; when Log-MLflow runs (again) after it,
        // the version carries it too. The release stages can also set it through IModelRegistry.SetVersionTagAsync.
        if (payload.Params.FirstOrDefault(p => p.Key.EndsWith("imageDigest", StringComparison.OrdinalIgnoreCase)
                || p.Key.EndsWith("image.digest", StringComparison.OrdinalIgnoreCase)) is { Key: not null } digest)
        {
            tags[ImageDigestTag] = digest.Value;
        }

        if (existing is not null)
        {
            foreach (var (key, value) in tags.Where(t => existing.Tags.GetValueOrDefault(t.Key) != t.Value))
            {
                await registry.SetVersionTagAsync(registeredModel, existing.Version, key, value, cancellationToken);
            }

            log.Info($"release candidate already registered as {registeredModel} version {existing.Version}");
            return existing.Version;
        }

        var created = await registry.CreateVersionAsync(
            registeredModel,
            $"runs:/{run.RunId}/model",
            run.RunId,
            $"Release candidate of Tollgate run {payload.TollgateRunId}",
            tags,
            cancellationToken);
        log.Info($"registered the release candidate as {registeredModel} version {created.Version}");
        return created.Version;
    }

    private async Task<ComparisonResult> CompareWithChampionAsync(RunPayload payload, TrackedRun run, string registeredModel, string outputDir, CancellationToken cancellationToken)
    {
        var champion = await registry.GetByAliasAsync(registeredModel, ChampionAlias, cancellationToken);
        if (champion is null)
        {
            return new ComparisonResult(false, $"no '{ChampionAlias}' alias on registered model '{registeredModel}' yet (first release): nothing to compare with.");
        }

        if (champion.RunId == run.RunId || champion.RunId is null)
        {
            return new ComparisonResult(false, $"the champion (version {champion.Version}) is this run itself.", champion.RunId, champion.Version);
        }

        var championRun = await store.GetRunAsync(champion.RunId, cancellationToken);
        if (championRun is null)
        {
            return new ComparisonResult(false, $"the champion's MLflow run {champion.RunId} (version {champion.Version}) is not in this tracking store.", champion.RunId, champion.Version);
        }

        var (markdown, html) = ChampionComparison.Render(payload, run.RunId, championRun, champion);
        Directory.CreateDirectory(outputDir);
        var mdPath = Path.Combine(outputDir, ComparisonMarkdown);
        var htmlPath = Path.Combine(outputDir, ComparisonHtml);
        AtomicFile.WriteAllText(mdPath, markdown);
        AtomicFile.WriteAllText(htmlPath, html);
        await store.LogArtifactAsync(run, mdPath, "comparison/" + ComparisonMarkdown, cancellationToken);
        await store.LogArtifactAsync(run, htmlPath, "comparison/" + ComparisonHtml, cancellationToken);
        await store.LogBatchAsync(
            run.RunId,
            [],
            new Dictionary<string, string>(),
            new Dictionary<string, string>
            {
                ["tollgate.champion_run_id"] = champion.RunId,
                ["tollgate.champion_version"] = champion.Version,
            },
            cancellationToken);
        var link = store.RunLink(run) + "/artifacts/comparison/" + ComparisonHtml;
        return new ComparisonResult(true, $"compared with champion version {champion.Version} (MLflow run {champion.RunId}).", champion.RunId, champion.Version, mdPath, htmlPath, link);
    }
}
