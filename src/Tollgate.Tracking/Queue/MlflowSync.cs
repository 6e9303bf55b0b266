using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Stages;
using Tollgate.Tracking.Configuration;
using Tollgate.Tracking.LogMlflow;
using Tollgate.Tracking.Publishing;

namespace Tollgate.Tracking.Queue;

/// <summary>
/// <c>tollgate mlflow sync</c>: uploads every queued run, oldest first, removing each queue file only after its upload
/// finished. Uploads are idempotent (<see cref="MlflowPublisher"/>), so each run lands in MLflow exactly once even when
/// sync is interrupted and re-run. Stops at the first unreachable server and leaves the rest queued.
/// </summary>
public sealed class MlflowSync
{
    private readonly IStageLog log;
    private readonly TimeProvider time;
    private readonly HttpMessageHandler? handler;

    public MlflowSync(IStageLog log, TimeProvider time, HttpMessageHandler? handler = null)
    {
        this.log = log;
        this.time = time;
        this.handler = handler;
    }

    /// <param name="queue">The queue to drain.</param>
    /// <param name="overrides">Connection settings (URI, auth, retries) to use instead of the queued URI; null uses each entry's.</param>
    /// <param name="cancellationToken">Stops between uploads.</param>
    public async Task<SyncResult> SyncAsync(PendingUploadQueue queue, TrackingOptions? overrides, CancellationToken cancellationToken)
    {
        var uploaded = new List<PublishResult>();
        var pending = queue.List();
        foreach (var (path, upload) in pending)
        {
            var options = (overrides ?? new TrackingOptions
            {
                TrackingUri = upload.TrackingUri,
                ExperimentName = upload.ExperimentName,
                RegisteredModelName = upload.RegisteredModelName,
                QueueDirectory = queue.Directory,
            }) with
            {
                ExperimentName = upload.ExperimentName,
                RegisteredModelName = upload.RegisteredModelName,
            };
            log.Info($"uploading queued run {upload.Payload.TollgateRunId} (queued {upload.QueuedAt:u}) to {options.TrackingUri}");
            var outputDir = Path.Combine(upload.Payload.RunDirectory, StageName.LogMlflow);
            PublishResult published;
            try
            {
                using var backend = TrackingBackend.Create(options, log, time, handler);
                published = await new MlflowPublisher(backend.Store, backend.Registry, log)
                    .PublishAsync(upload.Payload, options.ExperimentName, options.RegisteredModelName, outputDir, cancellationToken);
            }
            catch (InfrastructureException ex)
            {
                log.Warning($"{ex.Message} {pending.Count - uploaded.Count} run(s) stay queued in {queue.Directory}.");
                return new SyncResult(uploaded, pending.Count - uploaded.Count, ex.Message);
            }

            if (Directory.Exists(upload.Payload.RunDirectory))
            {
                TollgateJson.WriteFile(Path.Combine(outputDir, MlflowRunRecord.FileName), new MlflowRunRecord
                {
                    TrackingUri = published.TrackingUri,
                    ExperimentId = published.ExperimentId,
                    MlflowRunId = published.MlflowRunId,
                    RunLink = published.RunLink,
                    RegisteredModel = published.RegisteredModel,
                    ModelVersion = published.ModelVersion,
                    ComparisonHtml = published.Comparison.HtmlPath,
                    LoggedAt = time.GetUtcNow(),
                });
            }

            File.Delete(path);
            uploaded.Add(published);
            log.Info($"uploaded {upload.Payload.TollgateRunId}: {published.RunLink}");
        }

        return new SyncResult(uploaded, 0, null);
    }
}
