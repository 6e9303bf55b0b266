using System.Text.Json.Nodes;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Testing;

namespace Tollgate.Tracking.Tests.Fixtures;

/// <summary>
/// A small, realistic repository and run directory: the bundled bank-marketing model.yaml and contract, a run.json with
/// three data files, reports of the stages before log-mlflow (with gates), an HTML report, and a release candidate
/// (candidate.json, threshold.json, model.zip).
/// </summary>
public sealed class RunFixture : IDisposable
{
    private readonly TempDir dir = new("tracking");

    public RunFixture(string runId = "20261127T080000Z-bank-marketing-1a2b", double auc = 0.78, string? extraYaml = null)
    {
        Root = dir.Path;
        Directory.CreateDirectory(Path.Combine(Root, "models", "bank-marketing"));
        Directory.CreateDirectory(Path.Combine(Root, "data-contracts"));
        Directory.CreateDirectory(Path.Combine(Root, "data", "incoming", "bank-marketing"));
        File.Copy(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"), Path.Combine(Root, "data-contracts", "bank-marketing.odcs.yaml"));
        var yaml = File.ReadAllText(TestRepo.PathOf("models", "bank-marketing", "model.yaml"));
        var cut = yaml.IndexOf("\ntracking:", StringComparison.Ordinal);
        yaml = (cut >= 0 ? yaml[..cut] : yaml) + "\n" + (extraYaml ?? "tracking:\n  experiment: bank-marketing\n  optional: false\n");
        File.WriteAllText(Path.Combine(Root, "models", "bank-marketing", "model.yaml"), yaml);
        Run = CreateRun(runId, auc);
    }

    public string Root { get; }

    public RunDirectory Run { get; }

    public ModelSpec Spec => ModelSpecLoader.LoadByName(Root, "bank-marketing");

    public string RunsRoot => Path.Combine(Root, "artifacts", "runs");

    public RunDirectory CreateRun(string runId, double auc)
    {
        var start = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
        var run = RunDirectory.Create(Path.Combine(RunsRoot, runId), new RunManifest
        {
            RunId = runId,
            Model = "bank-marketing",
            StartedAt = start,
            GitCommit = "0123456789abcdef0123456789abcdef01234567",
            GitBranch = "main",
            ConfigHash = new string('c', 64),
            ToolVersions = new Dictionary<string, string> { ["tollgate"] = "0.1.0", ["dotnet"] = ".NET 10.0.0", ["ml.net"] = "5.0.1" },
            DataFiles =
            [
                new DataFileRecord("data/incoming/bank-marketing/2010-11-08.csv", new string('a', 64), 12, 1400, "2010-11-08", "2010-11-08"),
                new DataFileRecord("data/incoming/bank-marketing/2010-11-09.csv", new string('b', 64), 9, 1100, "2010-11-09", "2010-11-09"),
                new DataFileRecord("data/incoming/bank-marketing/2010-11-10.csv", new string('d', 64), 15, 1700, "2010-11-10", "2010-11-10"),
            ],
            DataPeriodStart = "2008-05-05",
            DataPeriodEnd = "2010-11-10",
            Ci = new Dictionary<string, string> { ["CI_PIPELINE_ID"] = "4242", ["CI_JOB_URL"] = "https://gitlab.example/-/jobs/77" },
        });

        Report(run, StageName.ValidateData, StageOutcome.Passed, new() { ["rows"] = 36, ["files"] = 3 },
            [new CheckResult("schema.column-present", Severity.Error, CheckStatus.Passed, "all columns present", "age")]);
        File.WriteAllText(Path.Combine(run.StageDir(StageName.ValidateData), "profile.json"), "{\"age\":{\"mean\":41.2}}");
        File.WriteAllText(Path.Combine(run.StageDir(StageName.ValidateData), "report.html"), "<html><body>profile</body></html>");
        Report(run, StageName.Train, StageOutcome.Passed, new() { ["trainingRows"] = 30, ["seconds"] = 2.5 }, []);
        Report(run, StageName.HoldoutValidate, StageOutcome.Passed, new() { ["auc"] = auc, ["baseline.auc"] = 0.5, ["logLoss"] = double.NaN },
            [new CheckResult("gate.auc.minimum", Severity.Error, CheckStatus.Passed, $"auc {auc} ≥ 0.65", "auc", auc.ToString(System.Globalization.CultureInfo.InvariantCulture), "≥ 0.65")]);
        File.WriteAllText(Path.Combine(run.StageDir(StageName.HoldoutValidate), "predictions-sample.csv"), "id,score,label\n1,0.8,yes\n2,0.1,no\n");
        Report(run, StageName.LearnThresholds, StageOutcome.Passed, new() { ["threshold"] = 0.42 }, []);

        Directory.CreateDirectory(run.CandidateDir);
        File.WriteAllText(Path.Combine(run.CandidateDir, "candidate.json"), new JsonObject
        {
            ["model"] = "bank-marketing",
            ["trainer"] = "lightgbm",
            ["hyperparameters"] = new JsonObject { ["numberOfLeaves"] = 31, ["learningRate"] = 0.05 },
            ["seed"] = 42,
            ["features"] = new JsonArray("age", "balance", "job"),
            ["holdoutMetrics"] = new JsonObject { ["auc"] = auc, ["f1"] = 0.41 },
            ["baselineMetrics"] = new JsonObject { ["auc"] = 0.5, ["f1"] = 0.2 },
            ["threshold"] = 0.42,
        }.ToJsonString());
        File.WriteAllBytes(Path.Combine(run.CandidateDir, "model.zip"), [0x50, 0x4B, 0x05, 0x06, .. new byte[18]]);
        return run;
    }

    public void Dispose() => dir.Dispose();

    private static void Report(RunDirectory run, string stage, StageOutcome outcome, Dictionary<string, double> metrics, IReadOnlyList<CheckResult> checks) =>
        run.WriteReport(new StageReport
        {
            Stage = stage,
            Model = "bank-marketing",
            Outcome = outcome,
            StartedAt = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero),
            FinishedAt = new DateTimeOffset(2026, 11, 27, 8, 0, 3, TimeSpan.Zero),
            Summary = $"{stage} {outcome}",
            Metrics = metrics,
            Checks = checks,
        });
}
