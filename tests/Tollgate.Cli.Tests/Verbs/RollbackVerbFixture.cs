using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Testing;

namespace Tollgate.Cli.Tests.Verbs;

/// <summary>
/// A repository with the bank-marketing spec (ports moved out of the way), its contract and one run with a candidate,
/// for driving the release verbs (rollback, promote, shadow-deploy, prune-images) as a user would.
/// </summary>
public sealed class RollbackVerbFixture : IDisposable
{
    public const string RunId = "20261127T090000Z-bank-marketing-beef";

    private readonly TempDir dir = new("cli-release");

    public RollbackVerbFixture(string lastPassedStage)
    {
        Root = dir.Path;
        Directory.CreateDirectory(Path.Combine(Root, "models", "bank-marketing"));
        Directory.CreateDirectory(Path.Combine(Root, "data-contracts"));
        Directory.CreateDirectory(Path.Combine(Root, "data", "incoming", "bank-marketing"));
        File.Copy(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"), Path.Combine(Root, "data-contracts", "bank-marketing.odcs.yaml"));
        var yaml = File.ReadAllText(TestRepo.PathOf("models", "bank-marketing", "model.yaml"))
            .Replace("frontDoorPort: 18080", "frontDoorPort: 19080", StringComparison.Ordinal)
            .Replace("ports: 18081-18099", "ports: 19081-19099", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(Root, "models", "bank-marketing", "model.yaml"), yaml);
        var run = RunDirectory.Create(Path.Combine(Root, "artifacts", "runs", RunId), new RunManifest
        {
            RunId = RunId,
            Model = "bank-marketing",
            StartedAt = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero),
            GitCommit = "unknown",
            ConfigHash = new string('c', 64),
            ToolVersions = new Dictionary<string, string>(),
        });
        foreach (var stage in StageName.Chain.TakeWhile(s => s != lastPassedStage).Append(lastPassedStage))
        {
            run.WriteReport(new StageReport { Stage = stage, Model = "bank-marketing", Outcome = StageOutcome.Passed, StartedAt = default, FinishedAt = default, Summary = "ok" });
        }

        Directory.CreateDirectory(run.CandidateDir);
        File.WriteAllText(Path.Combine(run.CandidateDir, "candidate.json"), $"{{\"model\":\"bank-marketing\",\"version\":\"{RunId}\",\"runId\":\"{RunId}\",\"threshold\":0.4}}");
        File.WriteAllBytes(Path.Combine(run.CandidateDir, "model.zip"), [0x50, 0x4B, 0x05, 0x06, .. new byte[18]]);
        RunDir = run.Root;
    }

    public string Root { get; }

    public string RunDir { get; }

    public async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.RunAsync([.. args, "--model", "bank-marketing", "--repo-root", Root], output, error, TimeProvider.System);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose() => dir.Dispose();
}
