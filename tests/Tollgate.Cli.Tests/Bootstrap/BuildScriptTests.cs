using Shouldly;
using Tollgate.Core.Stages;

namespace Tollgate.Cli.Tests.Bootstrap;

/// <summary>build.sh run directly with bash, as a user or CI runs it.</summary>
[Trait("Category", "Scripts")]
public sealed class BuildScriptTests
{
    [Fact]
    public async Task BuildSh_Tree_ShowsTheWholeChainInOrder()
    {
        var (exit, output) = await ScriptRunner.RunAsync("bash", ["build.sh", "--tree"]);

        exit.ShouldBe(0, output);
        var positions = StageName.Chain.Select(s => output.IndexOf(StageName.ToCakeTask(s), StringComparison.Ordinal)).ToList();
        positions.ShouldAllBe(p => p >= 0, output);
        foreach (var target in new[] { "Release", "Rollback", "Test", "Benchmark" })
        {
            output.ShouldContain(target);
        }
    }

    [Fact]
    public async Task BuildSh_Description_DescribesEveryTask()
    {
        var (exit, output) = await ScriptRunner.RunAsync("bash", ["build.sh", "--description"]);

        exit.ShouldBe(0, output);
        output.ShouldContain("naive baseline");
        output.ShouldContain("Put the previous production version back");
    }

    [Fact]
    public async Task BuildSh_NoDotnet_SaysTheSdkIsRequiredAndExits2()
    {
        var (exit, output) = await ScriptRunner.RunAsync("bash", ["build.sh"], new Dictionary<string, string> { ["DOTNET"] = "/nonexistent/dotnet" });

        exit.ShouldBe(2);
        output.ShouldContain(".NET 10 SDK is required");
    }

    [Fact]
    public async Task BuildSh_UnknownModel_Exits2NamingTheKnownModels()
    {
        Assert.SkipUnless(ScriptRunner.CliIsBuilt, "the Release build of the CLI is missing: run ./build.sh first");

        var (exit, output) = await ScriptRunner.RunAsync("bash", ["build.sh", "--target=Validate-Data", "--model=no-such-model"]);

        exit.ShouldBe(2, output);
        output.ShouldContain("no models/no-such-model/model.yaml");
        output.ShouldContain("bank-marketing");
    }
}
