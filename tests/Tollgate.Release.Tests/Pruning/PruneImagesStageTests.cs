using System.Text.Json.Nodes;
using Shouldly;
using Tollgate.Core.Releases;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Release.Hosting;
using Tollgate.Release.Promotion;
using Tollgate.Release.Pruning;
using Tollgate.Release.Tests.Hosting;

namespace Tollgate.Release.Tests.Pruning;

public sealed class PruneImagesStageTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private static readonly string[] Versions = Enumerable.Range(1, 8).Select(i => $"2026112{i}T0000Z").ToArray();

    [Fact]
    public async Task RunAsync_EightReleases_LeavesSevenKeepingProductionAndRollbackTarget()
    {
        await using var repo = new ReleaseRepo();
        using var registry = new FakeRegistry(ReleaseRepo.Model, Versions);
        using var env = repo.Environment();
        var history = new ReleaseHistory(env.ModelRoot);
        foreach (var v in Versions)
        {
            ReleaseFolders.Materialize(env.Store, ReleaseRepo.Model, v, repo.Run(v).CandidateDir, null);
            history.Append(new ReleaseEvent("p" + v, ReleaseEvent.PromoteKind, Released(env, v), null, "test", DateTimeOffset.UnixEpoch, "test"));
        }

        // Rolled back to the second release: production is now old, and its parent on the chain is the oldest.
        history.Append(new ReleaseEvent("rb", ReleaseEvent.RollbackKind, Released(env, Versions[1]), Versions[7], "test", DateTimeOffset.UnixEpoch, "test"));
        env.Store.SetProduction(Released(env, Versions[1]));
        var run = RunWithImage(repo, registry, Versions[7]);

        var report = await PruneImagesStage.RunAsync(env, run, NullStageLog.Instance, Ct);

        report.Outcome.ShouldBe(StageOutcome.Passed);
        registry.Tags.Count.ShouldBe(7);
        registry.Tags.ShouldContain(Versions[1], "production");
        registry.Tags.ShouldContain(Versions[0], "the rollback target");
        registry.DeletedDigests.ShouldBe([FakeRegistry.DigestOf(Versions[2])], "the newest five plus the two protected stay; the third release goes, by digest");
        ReleaseFolders.List(env.Store, ReleaseRepo.Model).ShouldNotContain(Versions[2]);
        ReleaseFolders.List(env.Store, ReleaseRepo.Model).Count.ShouldBe(7);
        report.Details!["deleted"]!.AsArray().Count.ShouldBe(2, "one release folder and one registry tag, each listed");

        var again = await PruneImagesStage.RunAsync(env, run, NullStageLog.Instance, Ct);
        again.Summary.ShouldStartWith("nothing to prune");
        registry.DeletedDigests.Count.ShouldBe(1);
    }

    private static ReleasedModel Released(ReleaseEnvironment env, string v) =>
        new(ReleaseRepo.Model, v, v, ReleaseFolders.PathOf(env.Store, ReleaseRepo.Model, v));

    private static RunDirectory RunWithImage(ReleaseRepo repo, FakeRegistry registry, string version)
    {
        var run = RunDirectory.Open(repo.Dir.Combine("artifacts", "runs", version), repo.Dir.Combine("artifacts", "runs"));
        run.WriteReport(new StageReport
        {
            Stage = StageName.BuildImage,
            Model = ReleaseRepo.Model,
            Outcome = StageOutcome.Passed,
            StartedAt = default,
            FinishedAt = default,
            Summary = "built",
            Details = new JsonObject { ["reference"] = $"{registry.Address}/{ReleaseRepo.Model}:{version}", ["digest"] = FakeRegistry.DigestOf(version) },
        });
        return run;
    }
}
