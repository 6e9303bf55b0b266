using Shouldly;

namespace Tollgate.Cli.Tests.Bootstrap;

/// <summary>build.ps1 run through the pinned PowerShell dotnet tool: it must behave as build.sh does.</summary>
[Trait("Category", "Scripts")]
public sealed class BuildPs1Tests
{
    [Fact]
    public async Task BuildPs1_Tree_MatchesBuildSh()
    {
        var (shExit, sh) = await ScriptRunner.RunAsync("bash", ["build.sh", "--tree"]);
        var (psExit, ps) = await ScriptRunner.RunAsync("dotnet", ["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", "build.ps1", "--tree"]);

        psExit.ShouldBe(shExit, ps);
        Tree(ps).ShouldBe(Tree(sh));
    }

    [Fact]
    public async Task BuildPs1_NoDotnet_SaysTheSdkIsRequiredAndExits2()
    {
        var (exit, output) = await ScriptRunner.RunAsync(
            "dotnet",
            ["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", "build.ps1"],
            new Dictionary<string, string> { ["DOTNET"] = "/nonexistent/dotnet" });

        exit.ShouldBe(2, output);
        output.ShouldContain(".NET 10 SDK is required");
    }

    [Fact]
    public async Task BuildPs1_UnknownModel_Exits2LikeBuildSh()
    {
        Assert.SkipUnless(ScriptRunner.CliIsBuilt, "the Release build of the CLI is missing: run ./build.sh first");

        var (exit, output) = await ScriptRunner.RunAsync(
            "dotnet",
            ["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", "build.ps1", "--target=Validate-Data", "--model=no-such-model"]);

        exit.ShouldBe(2, output);
        output.ShouldContain("no models/no-such-model/model.yaml");
    }

    // The task tree, without Cake's banner lines that carry timings.
    private static string Tree(string output) =>
        string.Join('\n', output.Split('\n').Where(l => l.Contains('─') || l.Trim().Length > 0 && char.IsLetter(l.Trim()[0])).Select(l => l.TrimEnd()));
}
