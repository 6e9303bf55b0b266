using System.CommandLine;
using Tollgate.Cli.Hosting;
using Tollgate.Core.Errors;
using Tollgate.Tracking;
using Tollgate.Tracking.Configuration;
using Tollgate.Tracking.Queue;

namespace Tollgate.Cli.Verbs;

/// <summary>
/// <c>tollgate mlflow</c>: <c>sync</c> uploads runs queued while the tracking server was unreachable; <c>queue</c> lists
/// them; <c>alias</c> reads or moves a registered-model alias (champion, challenger).
/// </summary>
public sealed class MlflowVerb : ICliVerb
{
    public Command Build(CliContext context)
    {
        var command = new Command("mlflow", "MLflow housekeeping: upload queued runs, list the queue, read or move model aliases.");
        command.Subcommands.Add(Sync(context));
        command.Subcommands.Add(QueueList(context));
        command.Subcommands.Add(Alias(context));
        return command;
    }

    private static Command Sync(CliContext context)
    {
        var repoRoot = CommonOptions.RepoRoot();
        var sync = new Command(
            "sync",
            "Uploads every run queued in artifacts/mlflow-queue (or TOLLGATE_MLFLOW_QUEUE), oldest first, to MLFLOW_TRACKING_URI " +
            "(or the URI it was queued for). Each run is logged exactly once: re-running sync never duplicates. Exit 4 when the server is still unreachable.")
        {
            repoRoot,
        };
        sync.SetAction(async (parse, ct) =>
        {
            var root = Path.GetFullPath(parse.GetValue(repoRoot)!);
            var connection = TrackingOptionsReader.ReadConnection(root);
            var overrides = Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI") is { Length: > 0 } ? connection : null;
            var queue = new PendingUploadQueue(connection.QueueDirectory);
            var log = new ConsoleStageLog(context.Output, "mlflow sync");
            var result = await new MlflowSync(log, context.Time).SyncAsync(queue, overrides, ct);
            if (result.StoppedBecause is { } reason)
            {
                throw new InfrastructureException(
                    $"{reason} Uploaded {result.Uploaded.Count}, {result.Remaining} still queued in {queue.Directory}.");
            }

            context.Output.WriteLine(result.Uploaded.Count == 0
                ? $"[mlflow sync] nothing queued in {queue.Directory}."
                : $"[mlflow sync] uploaded {result.Uploaded.Count} queued run(s); queue {queue.Directory} is empty.");
            return 0;
        });
        return sync;
    }

    private static Command QueueList(CliContext context)
    {
        var repoRoot = CommonOptions.RepoRoot();
        var list = new Command("queue", "Lists runs waiting for 'tollgate mlflow sync'.") { repoRoot };
        list.SetAction(parse =>
        {
            var root = Path.GetFullPath(parse.GetValue(repoRoot)!);
            var queue = new PendingUploadQueue(TrackingOptionsReader.ReadConnection(root).QueueDirectory);
            var entries = queue.List();
            foreach (var (path, upload) in entries)
            {
                context.Output.WriteLine($"{upload.Payload.TollgateRunId}\tqueued {upload.QueuedAt:u}\tfor {upload.TrackingUri}\t{path}");
            }

            context.Output.WriteLine($"{entries.Count} run(s) queued in {queue.Directory}.");
            return 0;
        });
        return list;
    }

    private static Command Alias(CliContext context)
    {
        var model = CommonOptions.Model();
        var repoRoot = CommonOptions.RepoRoot();
        var alias = new Option<string>("--alias") { Description = "Alias name, e.g. champion or challenger.", Required = true };
        var version = new Option<string?>("--version") { Description = "Point the alias at this model version; omit to print where it points." };
        var command = new Command(
            "alias",
            "Reads or moves an alias of the registered model (the model's name unless 'tracking: registeredModel' says otherwise).")
        {
            model,
            repoRoot,
            alias,
            version,
        };
        command.SetAction(async (parse, ct) =>
        {
            var root = Path.GetFullPath(parse.GetValue(repoRoot)!);
            var spec = Core.Specs.ModelSpecLoader.LoadByName(root, parse.GetValue(model)!);
            var options = TrackingOptionsReader.Read(root, spec);
            using var backend = TrackingBackend.Create(options, time: context.Time);
            var name = options.RegisteredModelName;
            var aliasName = parse.GetValue(alias)!;
            if (parse.GetValue(version) is { } v)
            {
                if (await backend.Registry.GetVersionAsync(name, v, ct) is null)
                {
                    throw new ConfigurationException($"registered model '{name}' has no version {v} in {backend.Store.Location}; see 'tollgate log-mlflow' output for versions.");
                }

                await backend.Registry.SetAliasAsync(name, aliasName, v, ct);
                context.Output.WriteLine($"{name}@{aliasName} → version {v}");
                return 0;
            }

            var current = await backend.Registry.GetByAliasAsync(name, aliasName, ct);
            context.Output.WriteLine(current is null
                ? $"{name}@{aliasName} is not set."
                : $"{name}@{aliasName} → version {current.Version} (MLflow run {current.RunId}, Tollgate run {current.Tags.GetValueOrDefault("tollgate.run_id")})");
            return 0;
        });
        return command;
    }
}
