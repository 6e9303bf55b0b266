using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.Stages;

namespace Tollgate.Cli.Tests.Verbs;

public sealed class TrainVerbTests(TrainVerbFixture repo) : IClassFixture<TrainVerbFixture>
{
    [Fact]
    public async Task Train_AfterRealValidateData_Exits0AndWritesModelAndSplit()
    {
        var runDir = Path.Combine(repo.Root, "artifacts", "runs", "real-chain");

        var validate = await repo.RunAsync("validate-data", "--model", "bank-marketing", "--run-dir", runDir, "--no-quarantine");
        validate.Code.ShouldBe(0, validate.Output + validate.Error);
        var (code, output, error) = await repo.RunAsync("train", "--model", "bank-marketing", "--run-dir", runDir);

        code.ShouldBe(0, output + error);
        output.ShouldContain("[train] PASSED");
        File.Exists(Path.Combine(runDir, StageName.Train, "model.zip")).ShouldBeTrue();
        File.Exists(Path.Combine(runDir, StageName.Train, "split.json")).ShouldBeTrue();
        File.Exists(Path.Combine(runDir, StageName.Train, "report.json")).ShouldBeTrue("report.json is written last, when the stage finished");
    }

    [Fact]
    public async Task Train_LabelWithThirdValue_Exits3NamingTheValue()
    {
        var runDir = repo.StartRun("third-label", (header, rows) => rows[10][Array.IndexOf(header, "y")] = "\"maybe\"");

        var (code, _, error) = await repo.RunAsync("train", "--model", "bank-marketing", "--run-dir", runDir);

        code.ShouldBe((int)ExitCode.GateRejected);
        error.ShouldContain("data.label-values");
        error.ShouldContain("'maybe' (1)");
    }

    [Fact]
    public async Task Train_HoldoutLongerThanData_Exits2WithoutStackTrace()
    {
        var runDir = repo.StartRun("long-holdout");
        var spec = Path.Combine(repo.Root, "models", "bank-marketing", "model.yaml");
        var original = File.ReadAllText(spec);
        try
        {
            File.WriteAllText(spec, original.Replace("lastDays: 120", "lastDays: 2000", StringComparison.Ordinal));

            var (code, _, error) = await repo.RunAsync("train", "--model", "bank-marketing", "--run-dir", runDir);

            code.ShouldBe((int)ExitCode.Configuration);
            error.ShouldContain("the data spans 927 days");
            error.ShouldNotContain("   at ");
        }
        finally
        {
            File.WriteAllText(spec, original);
        }
    }
}
