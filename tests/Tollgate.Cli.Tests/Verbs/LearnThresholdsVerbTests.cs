using System.Text.Json.Nodes;
using Shouldly;
using Tollgate.Core.Errors;

namespace Tollgate.Cli.Tests.Verbs;

public sealed class LearnThresholdsVerbTests(TrainVerbFixture repo) : IClassFixture<TrainVerbFixture>
{
    [Fact]
    public async Task LearnThresholds_ExampleRequirement_Exits0AndStoresThresholdInCandidate()
    {
        var runDir = await PassedRun("thresholds-pass");

        var (code, output, error) = await repo.RunAsync("learn-thresholds", "--model", "bank-marketing", "--run-dir", runDir);

        code.ShouldBe(0, output + error);
        var candidate = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "candidate", "candidate.json")))!;
        var threshold = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "candidate", "threshold.json")))!;
        candidate["threshold"]!.GetValue<double>().ShouldBe(threshold["threshold"]!.GetValue<double>());
        threshold["holdout"]!["recall"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0.6);
    }

    [Fact]
    public async Task LearnThresholds_ImpossibleRequirement_Exits3NamingBestAchievable()
    {
        var runDir = await PassedRun("thresholds-impossible");
        var spec = Path.Combine(repo.Root, "models", "bank-marketing", "model.yaml");
        var original = File.ReadAllText(spec);
        try
        {
            File.WriteAllText(spec, original.Replace("minimum: { recall: 0.60 }", "minimum: { recall: 0.60, precision: 0.99 }", StringComparison.Ordinal));

            var (code, _, error) = await repo.RunAsync("learn-thresholds", "--model", "bank-marketing", "--run-dir", runDir);

            code.ShouldBe((int)ExitCode.GateRejected);
            error.ShouldContain("best precision while the other floors hold");
        }
        finally
        {
            File.WriteAllText(spec, original);
        }
    }

    private async Task<string> PassedRun(string name)
    {
        var runDir = repo.StartRun(name);
        (await repo.RunAsync("train", "--model", "bank-marketing", "--run-dir", runDir)).Code.ShouldBe(0);
        (await repo.RunAsync("holdout-validate", "--model", "bank-marketing", "--run-dir", runDir)).Code.ShouldBe(0);
        return runDir;
    }
}
