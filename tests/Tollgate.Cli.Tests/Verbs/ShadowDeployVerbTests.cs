using Shouldly;
using Tollgate.Core.Stages;

namespace Tollgate.Cli.Tests.Verbs;

public sealed class ShadowDeployVerbTests
{
    [Fact]
    public async Task ShadowDeploy_BuildImageNotRun_Exits2NamingTheStageToRun()
    {
        using var repo = new RollbackVerbFixture(StageName.LogMlflow);

        var (exit, _, error) = await repo.RunAsync("shadow-deploy", "--run-dir", "artifacts/runs/" + RollbackVerbFixture.RunId);

        exit.ShouldBe(2);
        error.ShouldContain("stage 'build-image' has not finished in this run");
    }

    [Fact]
    public async Task ShadowDeploy_GatesMissing_Exits2NamingFileAndKey()
    {
        using var repo = new RollbackVerbFixture(StageName.BuildImage);
        var spec = Path.Combine(repo.Root, "models", "bank-marketing", "model.yaml");
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("  gates:\n    minRequests", "  gatez:\n    minRequests", StringComparison.Ordinal));

        var (exit, _, error) = await repo.RunAsync("shadow-deploy", "--run-dir", "artifacts/runs/" + RollbackVerbFixture.RunId);

        exit.ShouldBe(2);
        error.ShouldContain("models/bank-marketing/model.yaml");
        error.ShouldContain("'shadow.gates': required section is missing");
    }
}
