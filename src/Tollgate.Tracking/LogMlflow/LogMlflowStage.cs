using System.Globalization;
using System.Text.Json.Nodes;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Tracking.Configuration;
using Tollgate.Tracking.Publishing;
using Tollgate.Tracking.Queue;

namespace Tollgate.Tracking.LogMlflow;

/// <summary>
/// Log-MLflow: logs the run directory — configuration, evidence, release candidate — to MLflow (REST or file store),
/// registers the candidate as a model version and writes the comparison with the champion. An unreachable server is
/// exit 4, unless <c>tracking.optional</c>: then a warning and the run waits in the queue for <c>tollgate mlflow sync</c>.
/// Either way the payload is queued before failing, so nothing is lost.
/// </summary>
public sealed class LogMlflowStage
{
    private readonly TrackingOptions options;
    private readonly IStageLog log;
    private readonly TimeProvider time;
    private readonly HttpMessageHandler? handler;

    public LogMlflowStage(TrackingOptions options, IStageLog log, TimeProvider time, HttpMessageHandler? handler = null)
    {
        this.options = options;
        this.log = log;
        this.time = time;
        this.handler = handler;
    }

    public async Task<LogMlflowResult> RunAsync(string repoRoot, ModelSpec spec, RunDirectory run, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var outputDir = run.StageDir(StageName.LogMlflow);
        var payload = new RunPayloadBuilder(repoRoot, spec, run, log).Build(started);
        log.Info($"logging {payload.Params.Count} params, {payload.Metrics.Count} metrics, {payload.Artifacts.Count} artifacts to {Describe()}");
        var queue = new PendingUploadQueue(options.QueueDirectory);
        PublishResult published;
        try
        {
            using var backend = TrackingBackend.Create(options, log, time, handler);
            published = await new MlflowPublisher(backend.Store, backend.Registry, log)
                .PublishAsync(payload, options.ExperimentName, options.RegisteredModelName, outputDir, cancellationToken);
        }
        catch (InfrastructureException ex)
        {
            var queued = queue.Enqueue(new PendingUpload
            {
                QueuedAt = time.GetUtcNow(),
                TrackingUri = options.TrackingUri,
                ExperimentName = options.ExperimentName,
                RegisteredModelName = options.RegisteredModelName,
                Reason = ex.Message,
                Payload = payload,
            });
            if (!options.Optional)
            {
                throw new InfrastructureException(
                    $"{ex.Message} Nothing is lost: the run is queued at {queued}; upload it with 'tollgate mlflow sync' once the server is back, or re-run log-mlflow.",
                    ex);
            }

            log.Warning($"tracking is optional for {spec.Name}: run queued at {queued} for 'tollgate mlflow sync'.");
            return Queued(spec, payload, queued, ex.Message, started);
        }

        queue.Remove(payload.TollgateRunId); // logged now: an older queue entry for this run must not be uploaded again
        var record = new MlflowRunRecord
        {
            TrackingUri = published.TrackingUri,
            ExperimentId = published.ExperimentId,
            MlflowRunId = published.MlflowRunId,
            RunLink = published.RunLink,
            RegisteredModel = published.RegisteredModel,
            ModelVersion = published.ModelVersion,
            ComparisonHtml = published.Comparison.HtmlPath,
            LoggedAt = time.GetUtcNow(),
        };
        TollgateJson.WriteFile(Path.Combine(outputDir, MlflowRunRecord.FileName), record);
        return new LogMlflowResult(Report(spec, payload, published, started), published, null);
    }

    /// <summary>The report of a successful upload (also used by <c>tollgate mlflow sync</c>).</summary>
    public static StageReport Report(ModelSpec spec, RunPayload payload, PublishResult published, DateTimeOffset started)
    {
        var checks = new List<CheckResult>
        {
            new(
                "tracking.logged",
                Severity.Error,
                CheckStatus.Passed,
                $"{(published.ReusedExistingRun ? "completed" : "created")} MLflow run {published.MlflowRunId}: {published.ParamsLogged} params, {published.MetricsLogged} metrics, " +
                $"{published.TagsLogged} tags sent, {published.ArtifactsLogged} artifacts ({published.ArtifactBytes / 1024.0:0.#} KiB) uploaded. Open {published.RunLink}",
                Observed: published.RunLink),
            published.ModelVersion is null
                ? new("tracking.model-version", Severity.Info, CheckStatus.Skipped, "no release candidate in this run (candidate/model.zip missing): nothing registered.")
                : new("tracking.model-version", Severity.Info, CheckStatus.Passed, $"release candidate is {published.RegisteredModel} version {published.ModelVersion}.", Observed: published.ModelVersion),
            new(
                "tracking.comparison",
                Severity.Info,
                published.Comparison.Compared ? CheckStatus.Passed : CheckStatus.Skipped,
                published.Comparison.Compared ? $"{published.Comparison.Reason} Comparison: {published.Comparison.HtmlPath} ({published.Comparison.ArtifactLink})" : published.Comparison.Reason),
        };
        if (published.SupersededRunId is { } old)
        {
            checks.Add(new("tracking.superseded", Severity.Warning, CheckStatus.Failed, $"params changed since MLflow run {old} was logged for this run directory; run {published.MlflowRunId} supersedes it (tagged both ways)."));
        }

        var outputs = new List<string> { MlflowRunRecord.FileName };
        if (payload.Params.ContainsKey("data.files"))
        {
            outputs.Add("data-files.csv");
        }

        if (published.Comparison.Compared)
        {
            outputs.Add(MlflowPublisher.ComparisonMarkdown);
            outputs.Add(MlflowPublisher.ComparisonHtml);
        }

        return new StageReport
        {
            Stage = StageName.LogMlflow,
            Model = spec.Name,
            Outcome = StageOutcome.Passed,
            StartedAt = started,
            FinishedAt = started,
            Summary = $"logged to {published.RunLink}" + (published.ModelVersion is null ? string.Empty : $"; {published.RegisteredModel} v{published.ModelVersion}")
                + (published.Comparison.Compared ? $"; comparison {published.Comparison.HtmlPath}" : string.Empty),
            Checks = checks,
            Metrics = new Dictionary<string, double>
            {
                ["params"] = payload.Params.Count,
                ["metrics"] = payload.Metrics.Count,
                ["tags"] = payload.Tags.Count,
                ["artifacts"] = published.ArtifactsLogged,
                ["artifactBytes"] = published.ArtifactBytes,
            },
            Outputs = outputs,
            Details = new JsonObject
            {
                ["trackingUri"] = published.TrackingUri,
                ["experimentId"] = published.ExperimentId,
                ["mlflowRunId"] = published.MlflowRunId,
                ["runLink"] = published.RunLink,
                ["reusedExistingRun"] = published.ReusedExistingRun,
                ["registeredModel"] = published.RegisteredModel,
                ["modelVersion"] = published.ModelVersion,
                ["championRunId"] = published.Comparison.ChampionRunId,
                ["comparisonHtml"] = published.Comparison.HtmlPath,
                ["comparisonMarkdown"] = published.Comparison.MarkdownPath,
            },
        };
    }

    private static LogMlflowResult Queued(ModelSpec spec, RunPayload payload, string queued, string reason, DateTimeOffset started)
    {
        var report = new StageReport
        {
            Stage = StageName.LogMlflow,
            Model = spec.Name,
            Outcome = StageOutcome.Passed,
            StartedAt = started,
            FinishedAt = started,
            Summary = $"tracking server unreachable; run queued at {queued} for 'tollgate mlflow sync' (tracking is optional)",
            Checks =
            [
                new CheckResult(
                    "tracking.reachable",
                    Severity.Warning,
                    CheckStatus.Failed,
                    $"{reason} Tracking is optional for '{spec.Name}', so the run was queued at {queued}; run 'tollgate mlflow sync' when the server is back.",
                    Observed: "unreachable",
                    Expected: "reachable"),
            ],
            Metrics = new Dictionary<string, double>
            {
                ["params"] = payload.Params.Count,
                ["metrics"] = payload.Metrics.Count,
                ["artifacts"] = payload.Artifacts.Count,
                ["queued"] = 1,
            },
            Details = new JsonObject { ["queuedAt"] = queued },
        };
        return new LogMlflowResult(report, null, queued);
    }

    private string Describe() => options.IsRemote
        ? $"MLflow server {options.TrackingUri}, experiment '{options.ExperimentName}'"
        : $"file store {options.TrackingUri}, experiment '{options.ExperimentName}'";
}
