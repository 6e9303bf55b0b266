using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Release.Promotion;
using Tollgate.Release.Shadow;
using Tollgate.Release.Tests.Hosting;
using Tollgate.Release.Configuration;
using Tollgate.Core.Specs;

namespace Tollgate.Release.Tests.Promotion;

public sealed class PromoteStageTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_AfterShadow_ReusesTheShadowAndRecordsTheRelease()
    {
        await using var repo = new ReleaseRepo();
        using var env = repo.Environment();
        var errors = new SpecErrors();
        var run = repo.Run("v1");
        (await ShadowDeployStage.RunAsync(env, ShadowOptions.Read(repo.Spec, errors), run, NullStageLog.Instance, Ct)).Outcome.ShouldBe(StageOutcome.Passed);
        var shadow = env.FrontDoor.ReadRoutes().Shadow!;
        var shadowPid = int.Parse((await env.Backend.ListAsync(ReleaseRepo.Model, Ct)).Single(d => d.Name == shadow.Deployment).Handle, System.Globalization.CultureInfo.InvariantCulture);
        NiceValues(shadowPid).ShouldAllBe(n => n == 10, "a shadow runs at low CPU priority (shadow.priority defaults to low): every thread at nice 10");
        run.WriteReport(new StageReport { Stage = StageName.ShadowDeploy, Model = ReleaseRepo.Model, Outcome = StageOutcome.Passed, StartedAt = default, FinishedAt = default, Summary = "passed" });

        var report = await PromoteStage.RunAsync(env, run, NullStageLog.Instance, Ct);

        report.Outcome.ShouldBe(StageOutcome.Passed, report.Summary);
        report.Checks.Single(c => c.Id == "promote.front-door-serves").Observed.ShouldBe("v1");
        var routes = env.FrontDoor.ReadRoutes();
        routes.Shadow.ShouldBeNull();
        if (Environment.IsPrivilegedProcess)
        {
            routes.Production!.Deployment.ShouldBe(shadow.Deployment, "the shadow already warmed up is promoted, not a second copy");
            NiceValues(shadowPid).ShouldAllBe(n => n == 0, "production runs at normal priority: promote raised every thread back");
        }
        else
        {
            routes.Production!.Deployment.ShouldNotBe(shadow.Deployment, "without root a niced shadow cannot be raised: a fresh production is started instead");
        }
        var production = env.Store.TryGetProduction(ReleaseRepo.Model)!;
        production.ModelDir.ShouldBe(ReleaseFolders.PathOf(env.Store, ReleaseRepo.Model, "v1"));
        File.Exists(Path.Combine(production.ModelDir, "contract.odcs.yaml")).ShouldBeTrue("the release folder carries its contract, so it serves without the repository");
    }

    [Fact]
    public async Task RunAsync_SameRunTwice_SecondIsPassedAlreadyPromoted()
    {
        await using var repo = new ReleaseRepo();
        using var env = repo.Environment();
        var run = repo.Run("v1");
        await PromoteStage.RunAsync(env, run, NullStageLog.Instance, Ct);

        var again = await PromoteStage.RunAsync(env, run, NullStageLog.Instance, Ct);

        again.Outcome.ShouldBe(StageOutcome.Passed);
        again.Summary.ShouldContain("already in production");
        again.Metrics["changed"].ShouldBe(0);
        new ReleaseHistory(env.ModelRoot).ReadAll().Count.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_ShadowNotPassed_IsAConfigurationError()
    {
        await using var repo = new ReleaseRepo();
        using var env = repo.Environment();

        var ex = await Should.ThrowAsync<ConfigurationException>(() => PromoteStage.RunAsync(env, repo.Run("v1", upTo: StageName.BuildImage), NullStageLog.Instance, Ct));

        ex.Message.ShouldContain("shadow-deploy");
    }

    /// <summary>The nice value of every thread of a local process, from /proc/&lt;pid&gt;/task/*/stat.</summary>
    private static List<int> NiceValues(int pid) =>
        [.. Directory.GetDirectories($"/proc/{pid}/task").Select(task =>
        {
            var text = File.ReadAllText(Path.Combine(task, "stat"));
            return int.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
        })];
}
