using Shouldly;
using Tollgate.Core.Stages;

namespace Tollgate.Cli.Tests.Verbs;

public sealed class PromoteVerbTests
{
    [Fact]
    public async Task Promote_ShadowDeployNotRun_Exits2NamingTheStageToRun()
    {
        using var repo = new RollbackVerbFixture(StageName.BuildImage);

        var (exit, _, error) = await repo.RunAsync("promote", "--run-dir", "artifacts/runs/" + RollbackVerbFixture.RunId);

        exit.ShouldBe(2);
        error.ShouldContain("stage 'shadow-deploy' has not finished in this run");
    }
}
