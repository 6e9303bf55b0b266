using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Stages;
using Tollgate.Release.Deployment;
using Tollgate.Serving.Contracts;
using Tollgate.Serving.Hosting;
using Tollgate.Serving.Logging;
using Tollgate.Serving.Scoring;

namespace Tollgate.Benchmarks;

/// <summary>
/// The model server against the framework's ceiling on this machine: a bare ASP.NET Core endpoint answering a constant,
/// hosted the same way (Kestrel, loopback, no logging), both driven by wrk at 1 and 64 connections. The server is the
/// real Tollgate.Serving process started by the local-process backend; the bare endpoint runs in this process. Goals: single-row
/// predict at ≥ 60% of the bare endpoint's requests/s, and p99 &lt; 5 ms at half of the server's maximum throughput
/// (an open-loop, coordinated-omission-free generator at a fixed rate). Batches of 100 rows are reported as rows/s.
/// The candidate: TOLLGATE_BENCH_CANDIDATE, else artifacts/runs/latest/candidate, else one trained here by the
/// modeling stages (cached in the work folder).
/// </summary>
public sealed partial class ServingBenchmark : IBenchmark
{
    public string Name => "serving";

    public async Task<JsonObject> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            return new JsonObject { ["skipped"] = "wrk not found (apt-get install wrk)" };
        }

        var seconds = context.Quick ? 3 : 10;
        var candidateDir = FindCandidate(context);
        var contract = ServingContract.Load(Path.Combine(context.RepoRoot, "data-contracts", "bank-marketing.odcs.yaml"));
        ServedModelInfo info;
        using (var model = CandidateScoringModel.Load(candidateDir))
        {
            info = model.Info; // the server runs in its own process
        }

        var rows = BankRows(context.RepoRoot, contract, 100);
        var single = rows[0].ToJsonString();
        var batch = new JsonArray([.. rows.Select(r => (JsonNode)r.DeepClone())]).ToJsonString();

        var result = new JsonObject
        {
            ["candidate"] = candidateDir,
            ["model"] = info.Name,
            ["version"] = info.Version,
            ["durationSecondsPerRun"] = seconds,
            ["loadGenerator"] = "wrk (closed loop); paced run: open-loop .NET generator in its own process (raw HTTP/1.1 on 64 keep-alive sockets, nanosleep pacing, real bank rows), latency from each request's due time",
        };

        JsonObject bare;
        await using (var app = Bare(28301))
        {
            await app.StartAsync(cancellationToken);
            context.Log.WriteLine("[serving] bare endpoint: wrk at 1 and 64 connections");
            bare = new JsonObject
            {
                ["c1"] = Wrk("http://127.0.0.1:28301/v1/predict", single, 1, 1, seconds),
                ["c64"] = Wrk("http://127.0.0.1:28301/v1/predict", single, 2, 64, seconds),
            };
            await app.StopAsync(cancellationToken);
        }

        // The real server process (Tollgate.Serving, as the local-process backend runs it: its own runtime settings,
        // nothing else in its heap or thread pool), from a release folder made of the candidate.
        JsonObject server;
        var root = Path.Combine(context.WorkDir, "serving-process");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var contractPath = Path.Combine(context.RepoRoot, "data-contracts", "bank-marketing.odcs.yaml");
        var backend = new LocalProcessBackend(Path.Combine(root, "store"), LocalProcessBackend.DefaultServer, TimeProvider.System);
        var deployment = await FrontDoorBenchmark.StartAsync(backend, ReleaseFolders.Create(root, candidateDir, contractPath, "bench-serving"), 28302, "production", cancellationToken);
        try
        {
            var url = deployment.Url + "/v1/predict";
            context.Log.WriteLine($"[serving] model server {deployment.Url} (pid {deployment.Handle}): wrk single row at 1 and 64 connections, batch of 100 at 8");
            server = new JsonObject
            {
                ["process"] = "Tollgate.Serving (LocalProcessBackend)",
                ["c1"] = Wrk(url, single, 1, 1, seconds),
                ["c64"] = Wrk(url, single, 2, 64, seconds),
            };
            var batchRun = Wrk(url, batch, 2, 8, seconds);
            batchRun["rowsPerSecond"] = Math.Round(batchRun["requestsPerSecond"]!.GetValue<double>() * rows.Count, 0);
            server["batch100"] = batchRun;
            var max = server["c64"]!["requestsPerSecond"]!.GetValue<double>();
            var rate = Math.Max(1, max / 2);
            context.Log.WriteLine($"[serving] paced at half of max ({rate:0} req/s) for {seconds} s");
            server["pacedAtHalfMax"] = await PacedAsync(new Uri(url), [.. rows.Select(r => Encoding.UTF8.GetBytes(r.ToJsonString()))], rate, TimeSpan.FromSeconds(seconds), cancellationToken);
        }
        finally
        {
            await backend.StopAsync(deployment, TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        var ratio = server["c64"]!["requestsPerSecond"]!.GetValue<double>() / bare["c64"]!["requestsPerSecond"]!.GetValue<double>();
        var p99 = server["pacedAtHalfMax"]!["p99Ms"]!.GetValue<double>();
        result["bare"] = bare;
        result["server"] = server;
        result["goals"] = new JsonObject
        {
            ["throughputRatioVsBare"] = Math.Round(ratio, 3),
            ["throughputRatioGoal"] = 0.6,
            ["throughputRatioMet"] = ratio >= 0.6,
            ["p99MsAtHalfMax"] = p99,
            ["p99MsGoal"] = 5,
            ["p99Met"] = p99 < 5,
        };
        context.Log.WriteLine($"[serving] predict/bare throughput {ratio:P0} (goal ≥ 60%); p99 at half max {p99} ms (goal < 5 ms); batch {server["batch100"]!["rowsPerSecond"]} rows/s");
        return result;
    }

    /// <summary>The framework's ceiling: same host setup as the server, answering a constant.</summary>
    private static WebApplication Bare(int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var constant = Encoding.UTF8.GetBytes("{\"score\":0.5,\"label\":false}");
        app.MapPost("/v1/predict", async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.WriteAsync(constant);
        });
        return app;
    }

    private static JsonObject Wrk(string url, string body, int threads, int connections, int seconds)
    {
        var script = Path.Combine(Path.GetTempPath(), $"tollgate-wrk-{Guid.NewGuid():N}.lua");
        File.WriteAllText(script, $"wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = [==[{body}]==]\n");
        try
        {
            var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--latency", "-s", script, url })
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var rps = double.Parse(RpsLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            var non2xx = NonSuccessLine().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            return new JsonObject
            {
                ["connections"] = connections,
                ["requestsPerSecond"] = Math.Round(rps, 1),
                ["p50Ms"] = Percentile(output, "50%"),
                ["p99Ms"] = Percentile(output, "99%"),
                ["non2xx"] = non2xx,
            };
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>
    /// Open loop at a fixed rate (<see cref="LoadGeneration.OpenLoopGenerator"/> in its own process, 64 keep-alive
    /// sockets, real bank rows): request i is due at start + i/rate and its latency counts from then, so a slow answer
    /// cannot hide the queueing it causes. A second of warm-up at the same rate first (the child's own JIT).
    /// </summary>
    private static async Task<JsonObject> PacedAsync(Uri url, byte[][] bodies, double rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var generator = await LoadGeneration.LoadGeneratorProcess.StartAsync(url, bodies, 64, cancellationToken);
        await generator.RunAsync(rate, TimeSpan.FromSeconds(1), cancellationToken);
        var run = await generator.RunAsync(rate, duration, cancellationToken);
        return run.ToJson();
    }

    private static double Percentile(string wrkOutput, string label)
    {
        var m = Regex.Match(wrkOutput, $@"^\s*{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return Math.Round(m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value }, 3);
    }

    /// <summary>The candidate to serve: TOLLGATE_BENCH_CANDIDATE, else the latest run's, else one trained here (cached).</summary>
    internal static string FindCandidate(BenchmarkContext context)
    {
        if (Environment.GetEnvironmentVariable("TOLLGATE_BENCH_CANDIDATE") is { Length: > 0 } explicitDir)
        {
            return Path.GetFullPath(explicitDir);
        }

        var latest = Path.Combine(context.RepoRoot, "artifacts", "runs", "latest");
        if (File.Exists(latest) && Path.Combine(context.RepoRoot, "artifacts", "runs", File.ReadAllText(latest).Trim(), "candidate") is var dir
            && File.Exists(Path.Combine(dir, CandidateMetadata.FileName)))
        {
            return dir;
        }

        return TrainCandidate(context);
    }

    /// <summary>Trains a candidate with the modeling stages on the bundled dumps; cached by model.yaml and the modeling build.</summary>
    private static string TrainCandidate(BenchmarkContext context)
    {
        var spec = ModelSpecLoader.LoadByName(context.RepoRoot, "bank-marketing");
        var key = Sha256.OfText(spec.SpecSha256 + typeof(CandidateModel).Assembly.ManifestModule.ModuleVersionId)[..12];
        var runDir = Path.Combine(context.WorkDir, "serving", $"run-{key}");
        if (File.Exists(Path.Combine(runDir, "candidate", CandidateMetadata.FileName)))
        {
            return Path.Combine(runDir, "candidate");
        }

        if (Directory.Exists(Path.Combine(context.WorkDir, "serving")))
        {
            Directory.Delete(Path.Combine(context.WorkDir, "serving"), recursive: true);
        }

        context.Log.WriteLine("[serving] no candidate found: training one with the modeling stages (cached for the next run)");
        var run = RunDirectory.Create(runDir, new RunManifest
        {
            RunId = $"bench-{key}",
            Model = spec.Name,
            StartedAt = DateTimeOffset.UtcNow,
            GitCommit = GitInfo.Commit(context.RepoRoot),
            ConfigHash = spec.SpecSha256,
            ToolVersions = new Dictionary<string, string>(),
        });
        var dumps = Directory.GetFiles(Path.Combine(context.RepoRoot, spec.IncomingPath), "*.csv").Order(StringComparer.Ordinal).ToList();
        TollgateJson.WriteFile(Path.Combine(run.StageDir(StageName.ValidateData), DataManifest.FileName), new DataManifest
        {
            Model = spec.Name,
            Contract = spec.ContractPath,
            Delimiter = ';',
            Files = [.. dumps.Select(f => new DataFileRecord(Path.GetRelativePath(context.RepoRoot, f).Replace('\\', '/'), Sha256.OfFile(f), File.ReadLines(f).Count() - 1, new FileInfo(f).Length))],
        });
        run.WriteReport(new StageReport { Stage = StageName.ValidateData, Model = spec.Name, Outcome = StageOutcome.Passed, StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow, Summary = "benchmark: bundled dumps" });
        var modeling = new ModelingContext(context.RepoRoot, spec, run, NullStageLog.Instance, TimeProvider.System);
        run.WriteReport(TrainStage.Run(modeling));
        run.WriteReport(HoldoutValidateStage.Run(modeling, new HoldoutValidateOptions { BootstrapResamples = 0 }));
        return run.CandidateDir;
    }

    /// <summary>Real rows from the newest dumps, as request objects.</summary>
    internal static List<JsonObject> BankRows(string repoRoot, ServingContract contract, int count)
    {
        var rows = new List<JsonObject>();
        foreach (var dump in Directory.GetFiles(Path.Combine(repoRoot, "data", "incoming", "bank-marketing"), "*.csv").Order(StringComparer.Ordinal).Reverse())
        {
            var lines = File.ReadAllLines(dump);
            var header = lines[0].Split(';').Select(h => h.Trim('"')).ToArray();
            foreach (var line in lines.Skip(1))
            {
                var cells = line.Split(';').Select(c => c.Trim('"')).ToArray();
                var row = new JsonObject();
                for (var i = 0; i < header.Length; i++)
                {
                    row[header[i]] = contract.Fields.TryGetValue(header[i], out var f) && f.IsNumeric
                        ? JsonValue.Create(double.Parse(cells[i], CultureInfo.InvariantCulture))
                        : JsonValue.Create(cells[i]);
                }

                rows.Add(row);
                if (rows.Count == count)
                {
                    return rows;
                }
            }
        }

        return rows;
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RpsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccessLine();
}
