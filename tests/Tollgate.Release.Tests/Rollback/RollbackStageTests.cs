using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Release.Promotion;
using Tollgate.Release.Rollback;
using Tollgate.Release.Tests.Hosting;

namespace Tollgate.Release.Tests.Rollback;

public sealed class RollbackStageTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_ThreeReleases_RollsBackToPreviousThenToAndFinallyRunsOut()
    {
        await using var repo = new ReleaseRepo();
        using var env = repo.Environment();
        foreach (var v in new[] { "v1", "v2", "v3" })
        {
            (await PromoteStage.RunAsync(env, repo.Run(v), NullStageLog.Instance, Ct)).Outcome.ShouldBe(StageOutcome.Passed);
        }

        var back = await RollbackStage.RunAsync(env, null, "v3 misbehaves", Ct);
        back.Outcome.ShouldBe(StageOutcome.Passed);
        (await repo.FrontDoorVersionAsync()).ShouldBe("v2");

        // --to two versions back from the original production.
        (await RollbackStage.RunAsync(env, "v1", "further", Ct)).Outcome.ShouldBe(StageOutcome.Passed);
        (await repo.FrontDoorVersionAsync()).ShouldBe("v1");
        env.Store.TryGetProduction(ReleaseRepo.Model)!.Version.ShouldBe("v1");

        var ex = await Should.ThrowAsync<ConfigurationException>(() => RollbackStage.RunAsync(env, null, "again", Ct));
        ex.Message.ShouldContain("nothing older to roll back to");
        ex.ExitCode.ShouldBe(ExitCode.Configuration);

        var history = new ReleaseHistory(env.ModelRoot).ReadAll();
        history.Select(e => $"{e.Kind}:{e.Release.Version}").ShouldBe(["promote:v1", "promote:v2", "promote:v3", "rollback:v2", "rollback:v1"]);
        history[3].Reason.ShouldBe("v3 misbehaves");
        (await env.Backend.ListAsync(ReleaseRepo.Model, Ct)).Count.ShouldBe(1, "only the version in production still runs");
    }

    [Fact]
    public async Task RunAsync_ToUnknownVersion_ListsTheReleasedOnes()
    {
        await using var repo = new ReleaseRepo();
        using var env = repo.Environment();
        await PromoteStage.RunAsync(env, repo.Run("v1"), NullStageLog.Instance, Ct);

        var ex = await Should.ThrowAsync<ConfigurationException>(() => RollbackStage.RunAsync(env, "v9", "typo", Ct));

        ex.Message.ShouldContain("--to v9");
        ex.Message.ShouldContain("v1");
    }

    [Fact]
    public async Task RunAsync_NeverReleased_IsAConfigurationError()
    {
        await using var repo = new ReleaseRepo();
        using var env = repo.Environment();

        var ex = await Should.ThrowAsync<ConfigurationException>(() => RollbackStage.RunAsync(env, null, "why", Ct));

        ex.Message.ShouldContain("never been released");
    }
}
