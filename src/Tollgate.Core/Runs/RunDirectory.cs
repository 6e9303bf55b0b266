using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Stages;

namespace Tollgate.Core.Runs;

/// <summary>
/// <c>artifacts/runs/&lt;run-id&gt;/</c>: <c>run.json</c>, one folder per stage with its outputs and a <c>report.json</c>
/// written last, and the <c>candidate/</c> slot. Stages read their inputs only from here, so each can run as its own CI
/// job with the folder passed along as job artifacts.
/// </summary>
public sealed class RunDirectory
{
    public const string ReportFileName = "report.json";
    public const string LatestPointerName = "latest";

    private RunDirectory(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>Absolute path of the run folder.</summary>
    public string Root { get; }

    public string RunId => Path.GetFileName(Root);

    /// <summary>The release-candidate slot: written only when the model passed its holdout gates.</summary>
    public string CandidateDir => Path.Combine(Root, "candidate");

    public RunManifest Manifest => TollgateJson.ReadFile<RunManifest>(Path.Combine(Root, RunManifest.FileName));

    /// <summary>A new run id: UTC time first, so ids sort by start time.</summary>
    public static string NewRunId(string model, DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{model}-{Random.Shared.Next(0x1000, 0xFFFF):x4}";

    /// <summary>Creates the folder and its run.json, and points <c>latest</c> at it.</summary>
    public static RunDirectory Create(string runDir, RunManifest manifest)
    {
        var run = new RunDirectory(runDir);
        if (File.Exists(Path.Combine(run.Root, RunManifest.FileName)))
        {
            throw new ConfigurationException($"{run.Root}: a run already exists here; pass a new --run-dir or omit it.");
        }

        Directory.CreateDirectory(run.Root);
        TollgateJson.WriteFile(Path.Combine(run.Root, RunManifest.FileName), manifest);
        var parent = Path.GetDirectoryName(run.Root)!;
        AtomicFile.WriteAllText(Path.Combine(parent, LatestPointerName), run.RunId + "\n");
        return run;
    }

    /// <summary>Opens an existing run. <paramref name="runDir"/> may be a path, or <c>latest</c> under <paramref name="runsRoot"/>.</summary>
    public static RunDirectory Open(string runDir, string runsRoot)
    {
        var path = runDir == LatestPointerName ? ResolveLatest(runsRoot) : runDir;
        var run = new RunDirectory(path);
        if (!File.Exists(Path.Combine(run.Root, RunManifest.FileName)))
        {
            throw new ConfigurationException(
                $"{run.Root}: no run.json here. Start a run with 'tollgate validate-data', or pass the --run-dir of an existing run.");
        }

        return run;
    }

    /// <summary>The run the <c>latest</c> pointer names.</summary>
    public static string ResolveLatest(string runsRoot)
    {
        var pointer = Path.Combine(runsRoot, LatestPointerName);
        if (!File.Exists(pointer))
        {
            throw new ConfigurationException(
                $"{pointer}: no latest run yet. Run 'tollgate validate-data' (or ./build.sh) first to start one.");
        }

        return Path.Combine(runsRoot, File.ReadAllText(pointer).Trim());
    }

    public void UpdateManifest(Func<RunManifest, RunManifest> change) =>
        TollgateJson.WriteFile(Path.Combine(Root, RunManifest.FileName), change(Manifest));

    /// <summary>The folder of a stage, created if missing.</summary>
    public string StageDir(string stage)
    {
        var dir = Path.Combine(Root, stage);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Prepares a stage folder for a (re-)run: removes the old report first, so a crash part-way never leaves a report
    /// that claims the stage finished.
    /// </summary>
    public string BeginStage(string stage)
    {
        var dir = StageDir(stage);
        File.Delete(Path.Combine(dir, ReportFileName));
        return dir;
    }

    /// <summary>Writes the stage's report.json — last, so that its presence means the stage finished.</summary>
    public void WriteReport(StageReport report) =>
        TollgateJson.WriteFile(Path.Combine(StageDir(report.Stage), ReportFileName), report);

    public StageReport? TryReadReport(string stage)
    {
        var path = Path.Combine(Root, stage, ReportFileName);
        return File.Exists(path) ? TollgateJson.ReadFile<StageReport>(path) : null;
    }

    /// <summary>
    /// The report of an earlier stage this one depends on. Missing or rejected → configuration error naming the stage to run.
    /// </summary>
    public StageReport RequirePassed(string stage)
    {
        var report = TryReadReport(stage)
            ?? throw new ConfigurationException(
                $"{Path.Combine(Root, stage)}: stage '{stage}' has not finished in this run. Run 'tollgate {stage} --run-dir {Root}' first.");
        if (report.Outcome == StageOutcome.Rejected)
        {
            throw new ConfigurationException(
                $"{Path.Combine(Root, stage, ReportFileName)}: stage '{stage}' rejected this run ({report.Summary}); later stages do not run on rejected input.");
        }

        return report;
    }
}
