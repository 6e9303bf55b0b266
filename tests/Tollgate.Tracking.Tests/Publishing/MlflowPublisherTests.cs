using Shouldly;
using Tollgate.Core.Stages;
using Tollgate.Tracking.FileStore;
using Tollgate.Tracking.Publishing;
using Tollgate.Tracking.Tests.Fixtures;

namespace Tollgate.Tracking.Tests.Publishing;

public sealed class MlflowPublisherTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task PublishAsync_SameRunTwiceToFileStore_OneRunNoDuplicateMetricsOneVersion()
    {
        using var fixture = new RunFixture();
        var mlruns = Path.Combine(fixture.Root, "mlruns");
        var store = new FileTrackingStore(mlruns);
        var registry = new FileModelRegistry(mlruns);
        var publisher = new MlflowPublisher(store, registry, NullStageLog.Instance);
        var payload = Payload(fixture);

        var first = await publisher.PublishAsync(payload, "bank-marketing", "bank-marketing", fixture.Run.StageDir(StageName.LogMlflow), None);
        var second = await publisher.PublishAsync(payload with { LoggedAtMs = payload.LoggedAtMs + 1000 }, "bank-marketing", "bank-marketing", fixture.Run.StageDir(StageName.LogMlflow), None);

        second.MlflowRunId.ShouldBe(first.MlflowRunId);
        second.ReusedExistingRun.ShouldBeTrue();
        second.ParamsLogged.ShouldBe(0);
        second.MetricsLogged.ShouldBe(0);
        var runDir = Path.Combine(mlruns, first.ExperimentId, first.MlflowRunId);
        File.ReadAllLines(Path.Combine(runDir, "metrics", "holdout.auc")).Length.ShouldBe(1, "re-logging does not duplicate metric lines");
        Directory.GetDirectories(Path.Combine(mlruns, first.ExperimentId)).Count(d => File.Exists(Path.Combine(d, "meta.yaml"))).ShouldBe(1, "one MLflow run per Tollgate run");
        second.ModelVersion.ShouldBe("1");
        Directory.GetDirectories(Path.Combine(mlruns, "models", "bank-marketing"), "version-*").Length.ShouldBe(1);
        File.ReadAllText(Path.Combine(mlruns, "models", "bank-marketing", "version-1", "tags", "threshold")).ShouldBe("0.42");
        File.ReadAllText(Path.Combine(mlruns, "models", "bank-marketing", "version-1", "tags", "tollgate.run_id")).ShouldBe(fixture.Run.RunId);
        MlflowYaml.Read(Path.Combine(runDir, "meta.yaml"))["status"].ShouldBe("3");
        File.Exists(Path.Combine(runDir, "artifacts", "model", "model.zip")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(runDir, "params", "threshold")).ShouldBe("0.42");
    }

    [Fact]
    public async Task PublishAsync_ParamChangedSinceLastUpload_NewRunSupersedesOld()
    {
        using var fixture = new RunFixture();
        var mlruns = Path.Combine(fixture.Root, "mlruns");
        var store = new FileTrackingStore(mlruns);
        var publisher = new MlflowPublisher(store, new FileModelRegistry(mlruns), NullStageLog.Instance);
        var payload = Payload(fixture);
        var first = await publisher.PublishAsync(payload, "bank-marketing", "bank-marketing", fixture.Run.StageDir(StageName.LogMlflow), None);
        var changed = payload with { Params = new Dictionary<string, string>(payload.Params) { ["seed"] = "7" } };

        var second = await publisher.PublishAsync(changed, "bank-marketing", "bank-marketing", fixture.Run.StageDir(StageName.LogMlflow), None);

        second.MlflowRunId.ShouldNotBe(first.MlflowRunId);
        second.SupersededRunId.ShouldBe(first.MlflowRunId);
        var old = await store.GetRunAsync(first.MlflowRunId, None);
        old!.Params["seed"].ShouldBe("42", "the old run keeps its values");
        old.Tags["tollgate.superseded_by"].ShouldBe(second.MlflowRunId);
        (await store.GetRunAsync(second.MlflowRunId, None))!.Tags["tollgate.supersedes"].ShouldBe(first.MlflowRunId);
    }

    [Fact]
    public async Task PublishAsync_ChampionExists_ComparisonWithDeltasAttachedAndTagged()
    {
        using var fixture = new RunFixture(runId: "20261120T080000Z-bank-marketing-0001", auc: 0.74);
        var mlruns = Path.Combine(fixture.Root, "mlruns");
        var store = new FileTrackingStore(mlruns);
        var registry = new FileModelRegistry(mlruns);
        var publisher = new MlflowPublisher(store, registry, NullStageLog.Instance);
        var champion = await publisher.PublishAsync(Payload(fixture), "bank-marketing", "bank-marketing", fixture.Run.StageDir(StageName.LogMlflow), None);
        champion.Comparison.Compared.ShouldBeFalse("the first release has no champion to compare with");
        await registry.SetAliasAsync("bank-marketing", "champion", champion.ModelVersion!, None);
        var candidateRun = fixture.CreateRun("20261127T080000Z-bank-marketing-0002", 0.79);
        var candidatePayload = new RunPayloadBuilder(fixture.Root, fixture.Spec, candidateRun, NullStageLog.Instance).Build(Now);

        var candidate = await publisher.PublishAsync(candidatePayload, "bank-marketing", "bank-marketing", candidateRun.StageDir(StageName.LogMlflow), None);

        candidate.Comparison.Compared.ShouldBeTrue(candidate.Comparison.Reason);
        candidate.Comparison.ChampionRunId.ShouldBe(champion.MlflowRunId);
        var md = File.ReadAllText(candidate.Comparison.MarkdownPath!);
        md.ShouldContain("| holdout.auc | 0.74 | 0.79 | +0.05 | passed gate.auc.minimum (expected ≥ 0.65) |");
        md.ShouldContain("| data.rows | 36 | 36 | 0 |");
        md.ShouldContain("Parameters that differ");
        File.ReadAllText(candidate.Comparison.HtmlPath!).ShouldContain("<table>");
        var run = await store.GetRunAsync(candidate.MlflowRunId, None);
        run!.Tags["tollgate.champion_run_id"].ShouldBe(champion.MlflowRunId);
        (await store.ListArtifactsAsync(run, "comparison", None)).ShouldBe(["comparison/comparison.html", "comparison/comparison.md"]);
    }

    [Fact]
    public async Task PublishAsync_RerunAfterBuildImageAddedDigest_SameVersionGetsImageDigestTag()
    {
        using var fixture = new RunFixture();
        var mlruns = Path.Combine(fixture.Root, "mlruns");
        var publisher = new MlflowPublisher(new FileTrackingStore(mlruns), new FileModelRegistry(mlruns), NullStageLog.Instance);
        await publisher.PublishAsync(Payload(fixture), "bank-marketing", "bank-marketing", fixture.Run.StageDir(StageName.LogMlflow), None);
        var candidateJson = Path.Combine(fixture.Run.CandidateDir, "candidate.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(candidateJson))!.AsObject();
        json["imageDigest"] = "sha256:" + new string('f', 64);
        File.WriteAllText(candidateJson, json.ToJsonString());

        var again = await publisher.PublishAsync(Payload(fixture), "bank-marketing", "bank-marketing", fixture.Run.StageDir(StageName.LogMlflow), None);

        again.ReusedExistingRun.ShouldBeTrue("a new param is not a changed param");
        again.ModelVersion.ShouldBe("1");
        var version = await new FileModelRegistry(mlruns).GetVersionAsync("bank-marketing", "1", None);
        version!.Tags[MlflowPublisher.ImageDigestTag].ShouldBe("sha256:" + new string('f', 64));
    }

    private static RunPayload Payload(RunFixture fixture) =>
        new RunPayloadBuilder(fixture.Root, fixture.Spec, fixture.Run, NullStageLog.Instance).Build(Now);
}
