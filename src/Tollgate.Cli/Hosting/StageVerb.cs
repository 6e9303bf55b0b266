using System.CommandLine;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;

namespace Tollgate.Cli.Hosting;

/// <summary>
/// The shape of a stage verb: resolve the model spec and run directory, run the stage, write its report last, print
/// errors first, and map the outcome to an exit code (rejected → 3).
/// </summary>
public abstract class StageVerb : ICliVerb
{
    /// <summary>The stage name: CLI verb and run-directory folder.</summary>
    protected abstract string Stage { get; }

    /// <summary>One paragraph for <c>--help</c>: what the stage checks and what it writes.</summary>
    protected abstract string Description { get; }

    /// <summary>True for the first stage of the chain: without --run-dir it starts a new run.</summary>
    protected virtual bool StartsRun => false;

    public Command Build(CliContext context)
    {
        var model = CommonOptions.Model();
        var runDir = CommonOptions.RunDir();
        var repoRoot = CommonOptions.RepoRoot();
        var command = new Command(Stage, Description) { model, runDir, repoRoot };
        AddOptions(command);
        command.SetAction(async (parse, ct) =>
        {
            var root = Path.GetFullPath(parse.GetValue(repoRoot)!);
            var spec = ModelSpecLoader.LoadByName(root, parse.GetValue(model)!);
            var run = ResolveRun(root, spec, parse.GetValue(runDir), context.Time);
            var log = new ConsoleStageLog(context.Output, Stage);
            var started = context.Time.GetUtcNow();
            log.Info($"model {spec.Name}, run {run.RunId}");
            run.BeginStage(Stage);
            var report = await RunAsync(new StageInvocation(root, spec, run, log, context.Time, parse), ct);
            report = report with { StartedAt = started, FinishedAt = context.Time.GetUtcNow() };
            run.WriteReport(report);
            return (int)Print(context, report, run);
        });
        return command;
    }

    /// <summary>Adds the stage's own options.</summary>
    protected virtual void AddOptions(Command command)
    {
    }

    /// <summary>Runs the stage. A failed gate is a <see cref="StageOutcome.Rejected"/> report; exceptions mean "could not run".</summary>
    protected abstract Task<StageReport> RunAsync(StageInvocation invocation, CancellationToken cancellationToken);

    private RunDirectory ResolveRun(string root, ModelSpec spec, string? runDir, TimeProvider time)
    {
        var runsRoot = Path.Combine(root, "artifacts", "runs");
        if (runDir is null && !StartsRun)
        {
            return RunDirectory.Open(RunDirectory.LatestPointerName, runsRoot);
        }

        var path = runDir is null
            ? Path.Combine(runsRoot, RunDirectory.NewRunId(spec.Name, time.GetUtcNow()))
            : Path.GetFullPath(runDir, root);
        if (File.Exists(Path.Combine(path, RunManifest.FileName)))
        {
            var existing = RunDirectory.Open(path, runsRoot);
            if (existing.Manifest.Model != spec.Name)
            {
                throw new ConfigurationException($"{path}: this run is for model '{existing.Manifest.Model}', not '{spec.Name}'.");
            }

            return existing;
        }

        if (!StartsRun)
        {
            return RunDirectory.Open(path, runsRoot); // throws: names the stage that starts a run
        }

        var contractPath = Path.Combine(root, spec.ContractPath);
        var configHash = Sha256.OfText(spec.SpecSha256 + (File.Exists(contractPath) ? Sha256.OfFile(contractPath) : string.Empty));
        return RunDirectory.Create(path, new RunManifest
        {
            RunId = Path.GetFileName(path),
            Model = spec.Name,
            StartedAt = time.GetUtcNow(),
            GitCommit = GitInfo.Commit(root),
            GitBranch = GitInfo.Branch(root),
            ConfigHash = configHash,
            ToolVersions = ToolVersions.Current(),
            Ci = GitInfo.CiVariables(),
        });
    }

    private static ExitCode Print(CliContext context, StageReport report, RunDirectory run)
    {
        // Errors first, then warnings: a reader at 3 a.m. sees what blocks the release before anything else.
        foreach (var check in report.Checks.Where(c => c.IsBlocking))
        {
            context.Error.WriteLine($"[{report.Stage}] error {check.Id}: {check.Message}");
        }

        foreach (var check in report.Checks.Where(c => c.Status == CheckStatus.Failed && c.Severity == Severity.Warning))
        {
            context.Output.WriteLine($"[{report.Stage}] warning {check.Id}: {check.Message}");
        }

        var passed = report.Checks.Count(c => c.Status == CheckStatus.Passed);
        context.Output.WriteLine(
            $"[{report.Stage}] {report.Outcome.ToString().ToUpperInvariant()}: {report.Summary} ({passed}/{report.Checks.Count} checks passed; report {Path.Combine(run.Root, report.Stage, RunDirectory.ReportFileName)})");
        return report.Outcome == StageOutcome.Rejected ? ExitCode.GateRejected : ExitCode.Ok;
    }
}
