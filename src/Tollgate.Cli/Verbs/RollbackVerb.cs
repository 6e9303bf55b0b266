using System.CommandLine;
using Tollgate.Cli.Hosting;
using Tollgate.Core.IO;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Release.Hosting;
using Tollgate.Release.Rollback;

namespace Tollgate.Cli.Verbs;

/// <summary>
/// <c>tollgate rollback --model M [--to VERSION] [--reason TEXT]</c>: the previous production version back through the
/// front door in seconds. Not a stage of a run, so it takes no run directory; its report goes to the release store.
/// </summary>
public sealed class RollbackVerb : ICliVerb
{
    public Command Build(CliContext context)
    {
        var model = CommonOptions.Model();
        var repoRoot = CommonOptions.RepoRoot();
        var to = new Option<string?>("--to") { Description = "A released version to go back to. Default: the version before the current one on the release chain." };
        var reason = new Option<string?>("--reason") { Description = "Why: recorded in the release history." };
        var command = new Command(
            RollbackStage.Name,
            "Puts the previous production version (or --to VERSION) back through the front door — its image (Docker backend, " +
            "pulled by digest) or its versioned release folder (local processes): no rebuild, no retrain; its threshold and " +
            "metadata come with it. A warm standby is a front-door switch. Waits for /health/ready and a smoke prediction, then " +
            "switches, records the event and moves the MLflow 'champion' alias. Nothing older to go back to → exit 2.")
        {
            model,
            repoRoot,
            to,
            reason,
        };
        command.SetAction(async (parse, ct) =>
        {
            var root = Path.GetFullPath(parse.GetValue(repoRoot)!);
            var spec = ModelSpecLoader.LoadByName(root, parse.GetValue(model)!);
            var log = new ConsoleStageLog(context.Output, RollbackStage.Name);
            var started = context.Time.GetUtcNow();
            var errors = new SpecErrors();
            using var env = ReleaseEnvironment.Create(root, spec, errors, log, context.Time);
            errors.ThrowIfAny();
            var target = parse.GetValue(to) is { Length: > 0 } t ? t : null;
            var why = parse.GetValue(reason) is { Length: > 0 } r ? r : "rollback (no reason given)";
            var report = await RollbackStage.RunAsync(env, target, why, ct);
            report = report with { StartedAt = started, FinishedAt = context.Time.GetUtcNow() };
            var path = Path.Combine(env.ModelRoot, "rollbacks", $"{started.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}", "report.json");
            TollgateJson.WriteFile(path, report);
            foreach (var check in report.Checks.Where(c => c.IsBlocking))
            {
                await context.Error.WriteLineAsync($"[rollback] error {check.Id}: {check.Message}");
            }

            await context.Output.WriteLineAsync($"[rollback] {report.Outcome.ToString().ToUpperInvariant()}: {report.Summary} in {report.Metrics["switchSeconds"]:0.00} s (report {path})");
            return report.Outcome == StageOutcome.Rejected ? 3 : 0;
        });
        return command;
    }
}
