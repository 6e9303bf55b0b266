using Shouldly;

namespace Tollgate.Cli.Tests.Verbs;

public sealed class ComparePreviousVerbTests(TrainVerbFixture repo) : IClassFixture<TrainVerbFixture>
{
    [Fact]
    public async Task ComparePrevious_FirstReleaseThenAgainstProduction_SkippedThenCompared()
    {
        var runDir = repo.StartRun("compare");
        (await repo.RunAsync("train", "--model", "bank-marketing", "--run-dir", runDir)).Code.ShouldBe(0);
        (await repo.RunAsync("holdout-validate", "--model", "bank-marketing", "--run-dir", runDir)).Code.ShouldBe(0);

        var first = await repo.RunAsync("compare-previous", "--model", "bank-marketing", "--run-dir", runDir);

        first.Code.ShouldBe(0, first.Output + first.Error);
        first.Output.ShouldContain("SKIPPED");
        first.Output.ShouldContain("first release");

        // Release this candidate (as Promote would), then compare the same run against it: nothing changes.
        var store = Path.Combine(repo.Root, "artifacts", "releases", "bank-marketing");
        Directory.CreateDirectory(store);
        File.WriteAllText(
            Path.Combine(store, "production.json"),
            $$"""{"model":"bank-marketing","version":"v1","runId":"compare","modelDir":"{{Path.Combine(runDir, "candidate")}}"}""");

        var second = await repo.RunAsync("compare-previous", "--model", "bank-marketing", "--run-dir", runDir);

        second.Code.ShouldBe(0, second.Output + second.Error);
        second.Output.ShouldContain("warning compare.rows", customMessage: "production trained on this holdout, and the report must say so");
        File.Exists(Path.Combine(runDir, "compare-previous", "diff.csv")).ShouldBeTrue();
        File.Exists(Path.Combine(runDir, "compare-previous", "report.html")).ShouldBeTrue();
    }
}
