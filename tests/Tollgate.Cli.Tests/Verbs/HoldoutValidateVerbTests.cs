using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.Stages;

namespace Tollgate.Cli.Tests.Verbs;

public sealed class HoldoutValidateVerbTests(TrainVerbFixture repo) : IClassFixture<TrainVerbFixture>
{
    [Fact]
    public async Task HoldoutValidate_BankExample_Exits0AndWritesCandidate()
    {
        var runDir = repo.StartRun("pass");
        (await repo.RunAsync("train", "--model", "bank-marketing", "--run-dir", runDir)).Code.ShouldBe(0);

        var (code, output, error) = await repo.RunAsync("holdout-validate", "--model", "bank-marketing", "--run-dir", runDir);

        code.ShouldBe(0, output + error);
        output.ShouldContain("[holdout-validate] PASSED");
        File.Exists(Path.Combine(runDir, "candidate", "model.zip")).ShouldBeTrue();
        File.Exists(Path.Combine(runDir, "candidate", "candidate.json")).ShouldBeTrue();
        File.Exists(Path.Combine(runDir, StageName.HoldoutValidate, "report.html")).ShouldBeTrue();
    }

    [Fact]
    public async Task HoldoutValidate_ShuffledLabels_Exits3AndLeavesNoCandidate()
    {
        var runDir = repo.StartRun("shuffled", (header, rows) =>
        {
            var y = Array.IndexOf(header, "y");
            var labels = rows.Select(r => r[y]).ToArray();
            new Random(11).Shuffle(labels);
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i][y] = labels[i];
            }
        });
        (await repo.RunAsync("train", "--model", "bank-marketing", "--run-dir", runDir)).Code.ShouldBe(0);

        var (code, _, error) = await repo.RunAsync("holdout-validate", "--model", "bank-marketing", "--run-dir", runDir);

        code.ShouldBe((int)ExitCode.GateRejected);
        error.ShouldContain("gate.auc.gainOverBaseline");
        Directory.Exists(Path.Combine(runDir, "candidate")).ShouldBeFalse();
    }

    [Fact]
    public async Task HoldoutValidate_BeforeTrain_Exits2NamingTrain()
    {
        var runDir = repo.StartRun("no-train");

        var (code, _, error) = await repo.RunAsync("holdout-validate", "--model", "bank-marketing", "--run-dir", runDir);

        code.ShouldBe((int)ExitCode.Configuration);
        error.ShouldContain("tollgate train");
    }
}
