using Shouldly;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;
using Tollgate.Release.Promotion;
using Tollgate.Release.Shadow;
using Tollgate.Release.Tests.Hosting;

namespace Tollgate.Release.Tests.Shadow;

public sealed class ShadowDeployStageTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_FirstRelease_CandidateAloneMustMeetLatencyAndErrorGates()
    {
        await using var repo = new ReleaseRepo();
        using var env = repo.Environment();

        var report = await ShadowDeployStage.RunAsync(env, Options(repo), repo.Run("v1"), NullLog, Ct);

        report.Outcome.ShouldBe(StageOutcome.Passed, string.Join("; ", report.Checks.Select(c => $"{c.Id}={c.Status}: {c.Message}")));
        report.Checks.Single(c => c.Id == "shadow.agreement").Status.ShouldBe(CheckStatus.Skipped);
        report.Checks.Single(c => c.Id == "shadow.p99-ms").Status.ShouldBe(CheckStatus.Passed);
        report.Metrics["requests"].ShouldBe(40);
        report.Metrics.ShouldContainKey("candidate.onlineAccuracy", "rows replayed from labelled dumps give the online metric");
        env.FrontDoor.ReadRoutes().Shadow!.Version.ShouldBe("v1", "a passed candidate stays up as the shadow for Promote to reuse");
    }

    [Fact]
    public async Task RunAsync_SlowCandidate_RejectedOnP99AndStopped()
    {
        await using var repo = new ReleaseRepo();
        using var env = repo.Environment();
        await PromoteStage.RunAsync(env, repo.Run("v1"), NullLog, Ct);

        var report = await ShadowDeployStage.RunAsync(env, Options(repo), repo.Run("v2", new { predictDelayMs = 1100 }), NullLog, Ct);

        report.Outcome.ShouldBe(StageOutcome.Rejected);
        var p99 = report.Checks.Single(c => c.Id == "shadow.p99-ms");
        p99.Status.ShouldBe(CheckStatus.Failed);
        p99.Message.ShouldContain("maximum 1000 ms");
        env.FrontDoor.ReadRoutes().Shadow.ShouldBeNull();
        (await repo.FrontDoorVersionAsync()).ShouldBe("v1");
        (await env.Backend.ListAsync(ReleaseRepo.Model, Ct)).Select(d => d.Version).ShouldBe(["v1"], "the rejected candidate is stopped");
    }

    [Fact]
    public async Task RunAsync_DisagreeingCandidate_RejectedOnAgreementWithDisagreementsKept()
    {
        await using var repo = new ReleaseRepo();
        using var env = repo.Environment();
        await PromoteStage.RunAsync(env, repo.Run("v1"), NullLog, Ct);
        var run = repo.Run("v2", new { scoreShift = 0.45 });

        var report = await ShadowDeployStage.RunAsync(env, Options(repo), run, NullLog, Ct);

        report.Checks.Single(c => c.Id == "shadow.agreement").Status.ShouldBe(CheckStatus.Failed);
        report.Checks.Single(c => c.Id == "shadow.p99-vs-production").Status.ShouldNotBe(CheckStatus.Skipped);
        var lines = File.ReadAllLines(Path.Combine(run.Root, StageName.ShadowDeploy, ShadowDeployStage.DisagreementsFile));
        lines.Length.ShouldBeGreaterThan(0);
        lines[0].ShouldContain("\"candidate\"");
        report.Metrics["meanAbsScoreDifference"].ShouldBeGreaterThan(0.1);
    }

    [Fact]
    public async Task RunAsync_FailingCandidate_RejectedOnErrorRate()
    {
        await using var repo = new ReleaseRepo();
        using var env = repo.Environment();

        // Every 3rd prediction fails; the smoke set (5 rows) already meets one, so the candidate is not even replayed.
        var report = await ShadowDeployStage.RunAsync(env, Options(repo), repo.Run("v1", new { failEvery = 3 }), NullLog, Ct);

        report.Outcome.ShouldBe(StageOutcome.Rejected);
        report.Checks.Single(c => c.Id == "shadow.candidate-ready").Message.ShouldContain("500");
    }

    [Fact]
    public void Read_ShadowWithoutGates_IsAConfigurationErrorNamingTheKey()
    {
        var repo = new ReleaseRepo();
        var yaml = File.ReadAllText(repo.Dir.Combine("models", ReleaseRepo.Model, "model.yaml"));
        File.WriteAllText(repo.Dir.Combine("models", ReleaseRepo.Model, "model.yaml"), yaml[..yaml.IndexOf("  gates:\n    minRequests", StringComparison.Ordinal)] + "\nrelease:\n  keepImages: 7\n");
        var spec = ModelSpecLoader.LoadByName(repo.Dir.Path, ReleaseRepo.Model);
        var errors = new SpecErrors();

        ShadowOptions.Read(spec, errors);

        errors.All.ShouldContain(e => e.Contains("'shadow.gates'") && e.Contains("required section is missing"));
        repo.Dir.Dispose();
    }

    private static IStageLog NullLog => NullStageLog.Instance;

    private static ShadowOptions Options(ReleaseRepo repo)
    {
        var errors = new SpecErrors();
        var options = ShadowOptions.Read(repo.Spec, errors);
        errors.ThrowIfAny();
        return options;
    }
}
