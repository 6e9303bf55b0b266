using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.Stages;
using Tollgate.Testing;
using Tollgate.Tracking.LogMlflow;
using Tollgate.Tracking.Queue;
using Tollgate.Tracking.Tests.Fixtures;

namespace Tollgate.Tracking.Tests.LogMlflow;

/// <summary>Log-MLflow end to end over real HTTP on 127.0.0.1, including the fault cases of the issue.</summary>
public sealed class LogMlflowStageTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task RunAsync_RestServer_LogsRunRegistersCandidateWritesRecord()
    {
        using var fixture = new RunFixture();
        var fake = new FakeMlflow();
        using var server = new MlflowTestServer(fake.Handle);
        var options = TestOptions.For(server.Uri, Path.Combine(fixture.Root, "queue"));

        var result = await new LogMlflowStage(options, NullStageLog.Instance, TimeProvider.System).RunAsync(fixture.Root, fixture.Spec, fixture.Run, None);

        result.Report.Outcome.ShouldBe(StageOutcome.Passed);
        var runId = fake.RunIds.Single();
        result.Published!.MlflowRunId.ShouldBe(runId);
        fake.Params(runId)["threshold"].ShouldBe("0.42");
        fake.Params(runId)["spec.trainer.hyperparameters.numberOfLeaves"].ShouldBe("31");
        fake.Tags(runId)["mlflow.runName"].ShouldBe(fixture.Run.RunId);
        fake.Tags(runId)["tollgate.stage.train"].ShouldBe("passed");
        fake.Artifacts(runId).ShouldContain("model/model.zip");
        fake.Artifacts(runId).ShouldContain("stages/validate-data/report.html");
        fake.Status(runId).ShouldBe("FINISHED");
        fake.VersionCount("bank-marketing").ShouldBe(1);
        result.Published.RunLink.ShouldBe($"{server.Uri}/#/experiments/1/runs/{runId}");
        var record = Core.IO.TollgateJson.ReadFile<MlflowRunRecord>(Path.Combine(fixture.Run.Root, "log-mlflow", MlflowRunRecord.FileName));
        record.MlflowRunId.ShouldBe(runId);
        record.ModelVersion.ShouldBe("1");
        server.Requests.Where(r => r.Method == "POST").ShouldAllBe(r => r.ContentType!.StartsWith("application/json"));
    }

    [Fact]
    public async Task RunAsync_ServerDownNotOptional_Exit4AndNothingLost()
    {
        using var fixture = new RunFixture();
        var queueDir = Path.Combine(fixture.Root, "queue");
        var options = TestOptions.For($"http://127.0.0.1:{MlflowTestServer.FreePort()}", queueDir, optional: false, retries: 1);

        var ex = await Should.ThrowAsync<InfrastructureException>(() =>
            new LogMlflowStage(options, NullStageLog.Instance, TimeProvider.System).RunAsync(fixture.Root, fixture.Spec, fixture.Run, None));

        ex.ExitCode.ShouldBe(ExitCode.InfrastructureUnavailable);
        ex.Message.ShouldContain("queued at");
        new PendingUploadQueue(queueDir).List().Single().Upload.Payload.TollgateRunId.ShouldBe(fixture.Run.RunId, "nothing is lost: the payload waits in the queue");
        File.Exists(Path.Combine(fixture.Run.Root, "candidate", "model.zip")).ShouldBeTrue();
    }

    [Fact]
    public async Task RunAsync_ServerDownOptional_WarningQueuedAndLaterSyncUploadsExactlyOnce()
    {
        using var fixture = new RunFixture();
        var queueDir = Path.Combine(fixture.Root, "queue");
        var port = MlflowTestServer.FreePort();
        var options = TestOptions.For($"http://127.0.0.1:{port}", queueDir, optional: true, retries: 1);
        var log = new ListLog();

        var result = await new LogMlflowStage(options, log, TimeProvider.System).RunAsync(fixture.Root, fixture.Spec, fixture.Run, None);

        result.Report.Outcome.ShouldBe(StageOutcome.Passed, "optional tracking: a warning, not a failure");
        result.Report.Checks.ShouldContain(c => c.Id == "tracking.reachable" && c.Severity == Severity.Warning && c.Status == CheckStatus.Failed);
        result.QueuedAt.ShouldBe(Path.Combine(queueDir, fixture.Run.RunId + ".json"));
        log.Warnings.ShouldContain(w => w.Contains("queued", StringComparison.Ordinal));

        var fake = new FakeMlflow();
        using var server = new MlflowTestServer(fake.Handle);
        var sync = new MlflowSync(NullStageLog.Instance, TimeProvider.System);
        var first = await sync.SyncAsync(new PendingUploadQueue(queueDir), TestOptions.For(server.Uri, queueDir), None);
        var second = await sync.SyncAsync(new PendingUploadQueue(queueDir), TestOptions.For(server.Uri, queueDir), None);

        first.Uploaded.Count.ShouldBe(1);
        first.Remaining.ShouldBe(0);
        second.Uploaded.ShouldBeEmpty("the queue is drained");
        fake.RunIds.Count.ShouldBe(1, "uploaded exactly once");
        var runId = fake.RunIds.Single();
        fake.History(runId).Count(m => m.Key == "holdout.auc").ShouldBe(1);
        fake.VersionCount("bank-marketing").ShouldBe(1);
        Directory.GetFiles(queueDir).ShouldBeEmpty();
        File.Exists(Path.Combine(fixture.Run.Root, "log-mlflow", MlflowRunRecord.FileName)).ShouldBeTrue();
    }

    [Fact]
    public async Task SyncAsync_EntryAlreadyUploadedBeforeACrash_CompletesTheSameRunInsteadOfDuplicating()
    {
        using var fixture = new RunFixture();
        var queueDir = Path.Combine(fixture.Root, "queue");
        var fake = new FakeMlflow();
        using var server = new MlflowTestServer(fake.Handle);
        var options = TestOptions.For(server.Uri, queueDir);
        await new LogMlflowStage(options, NullStageLog.Instance, TimeProvider.System).RunAsync(fixture.Root, fixture.Spec, fixture.Run, None);
        var payload = new Tracking.Publishing.RunPayloadBuilder(fixture.Root, fixture.Spec, fixture.Run, NullStageLog.Instance).Build(DateTimeOffset.UtcNow);

        // As if sync uploaded, then crashed before deleting its queue file.
        new PendingUploadQueue(queueDir).Enqueue(new PendingUpload
        {
            QueuedAt = DateTimeOffset.UtcNow,
            TrackingUri = server.Uri,
            ExperimentName = "bank-marketing",
            RegisteredModelName = "bank-marketing",
            Reason = "test",
            Payload = payload,
        });
        var result = await new MlflowSync(NullStageLog.Instance, TimeProvider.System).SyncAsync(new PendingUploadQueue(queueDir), null, None);

        result.Uploaded.Single().ReusedExistingRun.ShouldBeTrue();
        fake.RunIds.Count.ShouldBe(1);
        fake.VersionCount("bank-marketing").ShouldBe(1);
    }

    [Fact]
    public async Task SyncAsync_ServerStillDown_KeepsEntriesAndReportsWhy()
    {
        using var fixture = new RunFixture();
        var queueDir = Path.Combine(fixture.Root, "queue");
        var down = TestOptions.For($"http://127.0.0.1:{MlflowTestServer.FreePort()}", queueDir, optional: true, retries: 0);
        await new LogMlflowStage(down, NullStageLog.Instance, TimeProvider.System).RunAsync(fixture.Root, fixture.Spec, fixture.Run, None);

        var result = await new MlflowSync(NullStageLog.Instance, TimeProvider.System).SyncAsync(new PendingUploadQueue(queueDir), down, None);

        result.Uploaded.ShouldBeEmpty();
        result.Remaining.ShouldBe(1);
        result.StoppedBecause.ShouldNotBeNull();
        new PendingUploadQueue(queueDir).List().Count.ShouldBe(1);
    }

    private sealed class ListLog : IStageLog
    {
        public List<string> Warnings { get; } = [];

        public void Info(string message)
        {
        }

        public void Warning(string message) => Warnings.Add(message);

        public void Progress(string step, double fraction)
        {
        }
    }
}
