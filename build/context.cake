// The typed, immutable build context (plus the per-task timing log the Benchmark target writes). Built and validated
// once in Setup: a wrong --model or a missing build fails before any stage starts, with exit code 2.
using System.Text.RegularExpressions;

public sealed class BuildContext
{
    /// <summary>The last stage of the chain that is built; Release and Benchmark run the chain up to it.</summary>
    public const string ReleaseChainEnd = "Prune-Images";

    private readonly Dictionary<string, double> durations = new Dictionary<string, double>();

    private BuildContext(string repoRoot, string model, string runDir, string cli, string benchmarks, string verbosity, string rollbackTo, string reason, bool quick)
    {
        RepoRoot = repoRoot;
        Model = model;
        RunDir = runDir;
        Cli = cli;
        Benchmarks = benchmarks;
        CliVerbosity = verbosity;
        RollbackTo = rollbackTo;
        Reason = reason;
        Quick = quick;
    }

    public string RepoRoot { get; }
    public string Model { get; }
    /// <summary>--run: an existing run directory or 'latest'; empty: Validate-Data starts a new run, later stages use latest.</summary>
    public string RunDir { get; }
    public string Cli { get; }
    public string Benchmarks { get; }
    public string CliVerbosity { get; }
    public string RollbackTo { get; }
    public string Reason { get; }
    public bool Quick { get; }

    public static BuildContext Create(ICakeContext context)
    {
        var root = context.MakeAbsolute(context.Directory("..")).FullPath; // Cake works in build/, the script's folder
        var model = context.Argument("model", "bank-marketing");
        var slot = context.EnvironmentVariable("TOLLGATE_BUILD_SLOT") ?? "";
        var bin = System.IO.Path.Combine(root, ".build", slot, "bin");
        var cli = System.IO.Path.Combine(bin, "Tollgate.Cli", "release", "tollgate.dll");
        var errors = new List<string>();
        if (!System.IO.File.Exists(System.IO.Path.Combine(root, "models", model, "model.yaml")))
        {
            var known = System.IO.Directory.GetDirectories(System.IO.Path.Combine(root, "models")).Select(System.IO.Path.GetFileName);
            errors.Add($"--model={model}: no models/{model}/model.yaml. Known models: {string.Join(", ", known)}.");
        }
        if (!System.IO.File.Exists(cli))
        {
            errors.Add($"{cli} not found: run ./build.sh (it builds the solution) rather than 'dotnet cake' directly.");
        }
        if (errors.Count > 0)
        {
            throw new CakeException(2, string.Join(Environment.NewLine, errors));
        }

        return new BuildContext(
            root,
            model,
            context.Argument("run", ""),
            cli,
            System.IO.Path.Combine(bin, "Tollgate.Benchmarks", "release", "Tollgate.Benchmarks.dll"),
            context.Log.Verbosity >= Cake.Core.Diagnostics.Verbosity.Diagnostic ? "diagnostic" : "normal",
            context.Argument("to", ""),
            context.Argument("reason", ""),
            context.HasArgument("quick"));
    }

    /// <summary>Runs one stage verb of the CLI; a non-zero exit becomes a CakeException with the same code.</summary>
    public void RunStage(ICakeContext context, string stage)
    {
        var args = new ProcessArgumentBuilder().Append(stage).Append("--model").AppendQuoted(Model);
        // No --run-dir: Validate-Data starts a new run and later stages continue the run artifacts/runs/latest names.
        if (RunDir.Length > 0 && RunDir != "latest")
        {
            args.Append("--run-dir").AppendQuoted(RunDir);
        }
        RunCli(context, stage, args);
    }

    public void RunRollback(ICakeContext context)
    {
        var args = new ProcessArgumentBuilder().Append("rollback").Append("--model").AppendQuoted(Model);
        if (RollbackTo.Length > 0) args.Append("--to").AppendQuoted(RollbackTo);
        if (Reason.Length > 0) args.Append("--reason").AppendQuoted(Reason);
        RunCli(context, "rollback", args);
    }

    /// <summary>Every test project, then one line CI can read: 'N passed, N failed, N skipped'.</summary>
    public void RunTests(ICakeContext context)
    {
        var totals = new Dictionary<string, int>();
        var exit = context.StartProcess("dotnet", new ProcessSettings
        {
            Arguments = new ProcessArgumentBuilder().Append("test").Append("--solution").Append("Tollgate.slnx")
                .Append("--configuration").Append("Release").Append("--no-build").Append("--no-progress"),
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectedStandardOutputHandler = line =>
            {
                if (line is null) return line;
                Console.WriteLine(line);
                var m = Regex.Match(line, @"^\s*(total|failed|succeeded|skipped):\s*(\d+)\s*$");
                if (m.Success) totals[m.Groups[1].Value] = int.Parse(m.Groups[2].Value);
                return line;
            },
        });
        var passed = totals.GetValueOrDefault("succeeded");
        var failed = totals.GetValueOrDefault("failed");
        var skipped = totals.GetValueOrDefault("skipped");
        var summary = $"{passed} passed, {failed} failed, {skipped} skipped";
        Console.WriteLine(summary);
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(RepoRoot, "artifacts"));
        System.IO.File.WriteAllText(System.IO.Path.Combine(RepoRoot, "artifacts", "test-summary.txt"), summary + "\n");
        if (exit != 0 || failed > 0 || passed == 0)
        {
            throw new CakeException(exit != 0 ? exit : 1, $"Tests failed: {failed} failed, {passed} passed (dotnet test exit code {exit}).");
        }
    }

    public void RecordDuration(string task, TimeSpan duration) => durations[task] = duration.TotalSeconds;

    /// <summary>artifacts/bench/pipeline.json: wall time of each stage task in this run (CLI start-up included).</summary>
    public void WritePipelineBenchmark(ICakeContext context)
    {
        var dir = System.IO.Path.Combine(RepoRoot, "artifacts", "bench");
        System.IO.Directory.CreateDirectory(dir);
        var stages = string.Join(",\n", durations.Select(d => $"    \"{d.Key}\": {d.Value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}"));
        var total = durations.Values.Sum().ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        var json = $"{{\n  \"benchmark\": \"pipeline\",\n  \"model\": \"{Model}\",\n  \"measuredAt\": \"{DateTime.UtcNow:O}\",\n  \"cores\": {Environment.ProcessorCount},\n  \"stageSeconds\": {{\n{stages}\n  }},\n  \"totalSeconds\": {total}\n}}\n";
        System.IO.File.WriteAllText(System.IO.Path.Combine(dir, "pipeline.json"), json);
        context.Information($"Stage wall times written to artifacts/bench/pipeline.json (total {total} s).");
    }

    public void RunBenchmarks(ICakeContext context)
    {
        var args = new ProcessArgumentBuilder().AppendQuoted(Benchmarks).Append("--repo-root").AppendQuoted(RepoRoot);
        if (Quick) args.Append("--quick");
        var exit = context.StartProcess("dotnet", new ProcessSettings { Arguments = args, WorkingDirectory = RepoRoot });
        if (exit != 0)
        {
            throw new CakeException(exit, $"Benchmarks failed with exit code {exit}.");
        }
    }

    private void RunCli(ICakeContext context, string verb, ProcessArgumentBuilder args)
    {
        args.Append("--verbosity").Append(CliVerbosity);
        var full = new ProcessArgumentBuilder().AppendQuoted(Cli);
        foreach (var a in args) full.Append(a);
        var exit = context.StartProcess("dotnet", new ProcessSettings { Arguments = full, WorkingDirectory = RepoRoot });
        if (exit != 0)
        {
            throw new CakeException(exit, $"tollgate {verb} exited with code {exit} ({Meaning(exit)}).");
        }
    }

    private static string Meaning(int exit) => exit switch
    {
        1 => "unexpected error; rerun with --verbosity=diagnostic",
        2 => "configuration or usage error",
        3 => "gate rejected: see the stage's report.json",
        4 => "infrastructure unavailable",
        _ => "unknown exit code",
    };
}
