using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Testing;

namespace Tollgate.Cli.Tests.Verbs;

/// <summary>
/// A repository with the bank-marketing spec and contract and one finished run (validate-data, holdout-validate, a
/// release candidate), for driving <c>tollgate log-mlflow</c> and <c>tollgate mlflow</c> as a user would.
/// </summary>
public sealed class LogMlflowVerbFixture : IDisposable
{
    private readonly TempDir dir = new("cli-mlflow");

    public LogMlflowVerbFixture(bool optional = false)
    {
        Root = dir.Path;
        Directory.CreateDirectory(Path.Combine(Root, "models", "bank-marketing"));
        Directory.CreateDirectory(Path.Combine(Root, "data-contracts"));
        Directory.CreateDirectory(Path.Combine(Root, "data", "incoming", "bank-marketing"));
        File.Copy(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"), Path.Combine(Root, "data-contracts", "bank-marketing.odcs.yaml"));
        var yaml = File.ReadAllText(TestRepo.PathOf("models", "bank-marketing", "model.yaml"));
        var cut = yaml.IndexOf("\ntracking:", StringComparison.Ordinal);
        yaml = (cut >= 0 ? yaml[..cut] : yaml) + $"\ntracking:\n  experiment: bank-marketing\n  optional: {(optional ? "true" : "false")}\n";
        File.WriteAllText(Path.Combine(Root, "models", "bank-marketing", "model.yaml"), yaml);

        var run = RunDirectory.Create(Path.Combine(Root, "artifacts", "runs", RunId), new RunManifest
        {
            RunId = RunId,
            Model = "bank-marketing",
            StartedAt = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero),
            GitCommit = "0123456789abcdef0123456789abcdef01234567",
            GitBranch = "main",
            ConfigHash = new string('c', 64),
            ToolVersions = new Dictionary<string, string> { ["tollgate"] = "0.1.0" },
            DataFiles = [new DataFileRecord("data/incoming/bank-marketing/2010-11-09.csv", new string('b', 64), 9, 1100, "2010-11-09", "2010-11-09")],
            DataPeriodStart = "2008-05-05",
            DataPeriodEnd = "2010-11-09",
        });
        foreach (var (stage, metric) in new[] { (StageName.ValidateData, "rows"), (StageName.HoldoutValidate, "auc") })
        {
            run.WriteReport(new StageReport
            {
                Stage = stage,
                Model = "bank-marketing",
                Outcome = StageOutcome.Passed,
                StartedAt = run.Manifest.StartedAt,
                FinishedAt = run.Manifest.StartedAt.AddSeconds(2),
                Summary = "ok",
                Metrics = new Dictionary<string, double> { [metric] = 0.77 },
            });
        }

        Directory.CreateDirectory(run.CandidateDir);
        File.WriteAllText(Path.Combine(run.CandidateDir, "candidate.json"), "{\"trainer\":\"lightgbm\",\"holdoutMetrics\":{\"auc\":0.77},\"baselineMetrics\":{\"auc\":0.5},\"threshold\":0.4}");
        File.WriteAllBytes(Path.Combine(run.CandidateDir, "model.zip"), [0x50, 0x4B, 0x05, 0x06, .. new byte[18]]);
        RunDir = run.Root;
    }

    public const string RunId = "20261127T080000Z-bank-marketing-cafe";

    public string Root { get; }

    public string RunDir { get; }

    public string QueueDir => Path.Combine(Root, "artifacts", "mlflow-queue");

    public async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, TimeProvider.System);
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose() => dir.Dispose();
}
