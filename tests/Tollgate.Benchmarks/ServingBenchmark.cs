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
using Tollgate.Serving.Contracts;
using Tollgate.Serving.Hosting;
using Tollgate.Serving.Logging;
using Tollgate.Serving.Scoring;

namespace Tollgate.Benchmarks;

/// <summary>
/// The model server against the framework's ceiling on this machine: a bare ASP.NET Core endpoint answering a constant,
/// hosted the same way (Kestrel, loopback, no logging), both driven by wrk at 1 and 64 connections. Goals: single-row
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
        using var model = CandidateScoringModel.Load(candidateDir);
        var rows = BankRows(context.RepoRoot, contract, 100);
        var single = rows[0].ToJsonString();
        var batch = new JsonArray([.. rows.Select(r => (JsonNode)r.DeepClone())]).ToJsonString();

        var result = new JsonObject
        {
            ["candidate"] = candidateDir,
            ["model"] = model.Info.Name,
            ["version"] = model.Info.Version,
            ["durationSecondsPerRun"] = seconds,
            ["loadGenerator"] = "wrk (closed loop); paced run: in-process open-loop .NET generator (raw HTTP/1.1 on 64 sockets, sleeping not spinning, real bank rows), latency from the scheduled send time",
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

        JsonObject server;
        await using (var app = ServingApp.Build(new ServingOptions(candidateDir, null, "http://127.0.0.1:28302", new ServingLogOptions(null)), model, contract, TimeProvider.System))
        {
            await app.StartAsync(cancellationToken);
            ServingApp.WarmUp(app);
            context.Log.WriteLine("[serving] model server: wrk single row at 1 and 64 connections, batch of 100 at 8");
            server = new JsonObject
            {
                ["c1"] = Wrk("http://127.0.0.1:28302/v1/predict", single, 1, 1, seconds),
                ["c64"] = Wrk("http://127.0.0.1:28302/v1/predict", single, 2, 64, seconds),
            };
            var batchRun = Wrk("http://127.0.0.1:28302/v1/predict", batch, 2, 8, seconds);
            batchRun["rowsPerSecond"] = Math.Round(batchRun["requestsPerSecond"]!.GetValue<double>() * rows.Count, 0);
            server["batch100"] = batchRun;
            var max = server["c64"]!["requestsPerSecond"]!.GetValue<double>();
            var rate = Math.Max(1, max / 2);
            context.Log.WriteLine($"[serving] paced at half of max ({rate:0} req/s) for {seconds} s");
            server["pacedAtHalfMax"] = await PacedAsync(new Uri("http://127.0.0.1:28302/v1/predict"), [.. rows.Select(r => Encoding.UTF8.GetBytes(r.ToJsonString()))], rate, TimeSpan.FromSeconds(seconds), cancellationToken);
            await app.StopAsync(cancellationToken);
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
    /// Open loop at a fixed rate: request i is due at start + i/rate and its latency counts from then, so a slow answer
    /// cannot hide the queueing it causes (no coordinated omission). The client is raw HTTP/1.1 on 64 keep-alive
    /// sockets with prebuilt requests — a few microseconds of CPU per request, where HttpClient's tens would take the
    /// cores the server is being measured on — and it waits by sleeping, never spinning.
    /// </summary>
    private static async Task<JsonObject> PacedAsync(Uri url, byte[][] bodies, double rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var requests = bodies.Select(b => Encoding.ASCII.GetBytes(
            $"POST {url.AbsolutePath} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nContent-Length: {b.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n").Concat(b).ToArray()).ToArray();
        var total = (long)(rate * duration.TotalSeconds);
        var fromSchedule = new double[total];
        var fromSend = new double[total];
        var failed = 0L;
        long next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(url.Host, url.Port, cancellationToken);
            using var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: false);
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= total)
                {
                    return;
                }

                var due = i / rate;
                var wait = due - clock.Elapsed.TotalSeconds;
                if (wait > 0.0005)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
                }

                var sent = clock.Elapsed.TotalSeconds;
                await stream.WriteAsync(requests[i % requests.Length], cancellationToken);
                if (await ReadResponseAsync(stream, buffer, cancellationToken) != 200)
                {
                    Interlocked.Increment(ref failed);
                }

                var done = clock.Elapsed.TotalSeconds;
                fromSchedule[i] = (done - due) * 1000;
                fromSend[i] = (done - sent) * 1000;
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(fromSchedule);
        Array.Sort(fromSend);
        static double P(double[] sorted, double q) => Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))], 3);
        return new JsonObject
        {
            ["targetRequestsPerSecond"] = Math.Round(rate, 1),
            ["achievedRequestsPerSecond"] = Math.Round(total / seconds, 1),
            ["requests"] = total,
            ["failed"] = failed,
            ["p50Ms"] = P(fromSchedule, 0.50),
            ["p99Ms"] = P(fromSchedule, 0.99),
            ["maxMs"] = Math.Round(fromSchedule[^1], 3),
            ["p99FromSendMs"] = P(fromSend, 0.99),
        };
    }

    /// <summary>Reads one HTTP/1.1 response (Content-Length or chunked) and returns its status code.</summary>
    private static async Task<int> ReadResponseAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var length = 0;
        var headerEnd = -1;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0)
            {
                throw new IOException("the server closed the connection");
            }

            length += read;
            if (headerEnd < 0)
            {
                headerEnd = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
                if (headerEnd < 0)
                {
                    continue;
                }
            }

            var headers = Encoding.ASCII.GetString(buffer, 0, headerEnd);
            var status = int.Parse(headers.AsSpan(9, 3), CultureInfo.InvariantCulture);
            var bodyStart = headerEnd + 4;
            var lengthMatch = Regex.Match(headers, @"\r\nContent-Length:\s*(\d+)", RegexOptions.IgnoreCase);
            var complete = lengthMatch.Success
                ? length - bodyStart >= int.Parse(lengthMatch.Groups[1].Value, CultureInfo.InvariantCulture)
                : buffer.AsSpan(bodyStart, length - bodyStart).EndsWith("\r\n0\r\n\r\n"u8) || buffer.AsSpan(bodyStart, length - bodyStart).SequenceEqual("0\r\n\r\n"u8);
            if (complete)
            {
                return status;
            }
        }
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
