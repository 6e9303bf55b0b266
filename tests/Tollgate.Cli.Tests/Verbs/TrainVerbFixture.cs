using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Testing;

namespace Tollgate.Cli.Tests.Verbs;

/// <summary>
/// A throw-away repository for driving the modelling verbs as a user would: the bank-marketing spec (fewer boosting
/// rounds, so a test trains in seconds), its contract and the real daily dumps, and helpers that start a run the way
/// Validate-Data leaves it (accepted.json + a passed report), optionally with rewritten rows.
/// </summary>
public sealed class TrainVerbFixture : IDisposable
{
    private readonly TempDir dir = new("cli-modeling");

    public TrainVerbFixture()
    {
        Root = dir.Path;
        Directory.CreateDirectory(Path.Combine(Root, "models", "bank-marketing"));
        Directory.CreateDirectory(Path.Combine(Root, "data-contracts"));
        File.Copy(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"), Path.Combine(Root, "data-contracts", "bank-marketing.odcs.yaml"));
        var incoming = Path.Combine(Root, "data", "incoming", "bank-marketing");
        Directory.CreateDirectory(incoming);
        foreach (var file in Directory.GetFiles(TestRepo.PathOf("data", "incoming", "bank-marketing")))
        {
            File.Copy(file, Path.Combine(incoming, Path.GetFileName(file)));
        }

        WriteSpec(string.Empty);
    }

    public string Root { get; }

    public string Incoming => Path.Combine(Root, "data", "incoming", "bank-marketing");

    /// <summary>Writes model.yaml: the bundled one with fewer boosting rounds and 100 bootstrap resamples, plus <paramref name="extra"/>.</summary>
    public void WriteSpec(string extra)
    {
        var yaml = File.ReadAllText(TestRepo.PathOf("models", "bank-marketing", "model.yaml"))
            .Replace("numberOfIterations: 200", "numberOfIterations: 60", StringComparison.Ordinal)
            .Replace("bootstrapResamples: 500", "bootstrapResamples: 100", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(Root, "models", "bank-marketing", "model.yaml"), yaml + Environment.NewLine + extra);
    }

    /// <summary>A run as Validate-Data leaves it; <paramref name="editRows"/> rewrites the data rows into one dump first.</summary>
    public string StartRun(string name, Action<string[], List<string[]>>? editRows = null)
    {
        var run = RunDirectory.Create(Path.Combine(Root, "artifacts", "runs", name), new RunManifest
        {
            RunId = name,
            Model = "bank-marketing",
            StartedAt = DateTimeOffset.UtcNow,
            GitCommit = "test",
            ConfigHash = new string('c', 64),
            ToolVersions = new Dictionary<string, string>(),
        });
        var dumps = Directory.GetFiles(Incoming, "*.csv").Order(StringComparer.Ordinal).ToList();
        List<DataFileRecord> files;
        if (editRows is null)
        {
            files = [.. dumps.Select(f => new DataFileRecord(Path.GetRelativePath(Root, f).Replace('\\', '/'), Sha256.OfFile(f), 0, new FileInfo(f).Length))];
        }
        else
        {
            var headerLine = File.ReadLines(dumps[0]).First();
            var header = headerLine.Split(';').Select(h => h.Trim('"')).ToArray();
            var rows = dumps.SelectMany(f => File.ReadLines(f).Skip(1)).Select(l => l.Split(';')).ToList();
            editRows(header, rows);
            var combined = Path.Combine(Root, "data", name + ".csv");
            File.WriteAllLines(combined, [headerLine, .. rows.Select(r => string.Join(';', r))]);
            files = [new DataFileRecord(Path.GetRelativePath(Root, combined), Sha256.OfFile(combined), rows.Count, new FileInfo(combined).Length)];
        }

        TollgateJson.WriteFile(Path.Combine(run.StageDir(StageName.ValidateData), DataManifest.FileName), new DataManifest
        {
            Model = "bank-marketing",
            Contract = "data-contracts/bank-marketing.odcs.yaml",
            Files = files,
            Delimiter = ';',
        });
        run.WriteReport(new StageReport
        {
            Stage = StageName.ValidateData,
            Model = "bank-marketing",
            Outcome = StageOutcome.Passed,
            StartedAt = DateTimeOffset.UtcNow,
            FinishedAt = DateTimeOffset.UtcNow,
            Summary = "test fixture",
        });
        return run.Root;
    }

    public async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Program.RunAsync([.. args, "--repo-root", Root], output, error, TimeProvider.System);
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose() => dir.Dispose();
}
