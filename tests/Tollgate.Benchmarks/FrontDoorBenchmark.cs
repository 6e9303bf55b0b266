using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Benchmarks.LoadGeneration;
using Tollgate.Core.Releases;
using Tollgate.Release.Deployment;
using Tollgate.Release.FrontDoor;
using Tollgate.Serving.Contracts;

namespace Tollgate.Benchmarks;

/// <summary>
/// What mirroring to a shadow costs production (issue 7, goal: added p99 ≤ 5%). Real processes: the model server as
/// production and as shadow (<see cref="LocalProcessBackend"/>) behind the real front door (<see cref="FrontDoorGateway"/>),
/// driven open loop at a fixed, moderate rate by <see cref="LoadGeneratorProcess"/> (requests are due on schedule
/// whatever the answers do), in alternating blocks without and with the shadow (ABBA order against drift), several
/// repetitions; the figure is the p99 over every request of each condition, from its due time. CPU seconds of each process per block are reported, because on a small machine the shadow's own scoring
/// competes with production for the same cores. Rate: TOLLGATE_BENCH_FRONT_DOOR_RATE (default 400 requests/s).
/// </summary>
public sealed class FrontDoorBenchmark : IBenchmark
{
    private const string Model = "bench-front-door";
    private const int FrontDoorPort = 28280;

    public string Name => "front-door";

    public async Task<JsonObject> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        if (ProgramLocator.Locate("Tollgate.Gateway", "TOLLGATE_GATEWAY_DLL") is null || ProgramLocator.Locate("Tollgate.Serving", "TOLLGATE_SERVING_DLL") is null)
        {
            return new JsonObject { ["skipped"] = "Tollgate.Gateway or Tollgate.Serving is not built in this build slot: dotnet build src/Tollgate.Gateway -c Release (and src/Tollgate.Serving)" };
        }

        var rate = Environment.GetEnvironmentVariable("TOLLGATE_BENCH_FRONT_DOOR_RATE") is { Length: > 0 } r ? double.Parse(r, CultureInfo.InvariantCulture) : 400;
        // Many short alternating blocks rather than few long ones: on a shared machine the load drifts on a scale of
        // seconds, and the median over many paired blocks is what stays put.
        var repetitions = context.Quick ? 6 : 12;
        var blockSeconds = context.Quick ? 3 : 10;
        var candidate = ServingBenchmark.FindCandidate(context);
        var root = Path.Combine(context.WorkDir, "front-door");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var contractPath = Path.Combine(context.RepoRoot, "data-contracts", "bank-marketing.odcs.yaml");
        var rows = ServingBenchmark.BankRows(context.RepoRoot, ServingContract.Load(contractPath), 200);
        var bodies = rows.Select(row => System.Text.Encoding.UTF8.GetBytes(row.ToJsonString())).ToArray();
        var store = new ReleaseStore(Path.Combine(root, "store"));
        var backend = new LocalProcessBackend(store.Root, LocalProcessBackend.DefaultServer, TimeProvider.System);
        using var frontDoor = new FrontDoorGateway(store.ModelRoot(Model), FrontDoorPort);
        var deployments = new List<Deployment>();
        try
        {
            var production = await StartAsync(backend, Release(root, candidate, contractPath, "v1-production"), FrontDoorPort + 1, "production", cancellationToken);
            deployments.Add(production);
            var shadow = await StartAsync(backend, Release(root, candidate, contractPath, "v2-shadow"), FrontDoorPort + 2, "shadow", cancellationToken);
            deployments.Add(shadow);
            // As Shadow-Deploy runs it (shadow.priority: low by default); TOLLGATE_BENCH_SHADOW_PRIORITY=normal measures without.
            var shadowPriority = Environment.GetEnvironmentVariable("TOLLGATE_BENCH_SHADOW_PRIORITY") == "normal" ? DeploymentPriority.Normal : DeploymentPriority.Low;
            if (!await backend.SetPriorityAsync(shadow, shadowPriority, cancellationToken))
            {
                throw new InvalidOperationException($"could not set the shadow's CPU priority to {shadowPriority}");
            }
            await frontDoor.EnsureRunningAsync(cancellationToken);
            var productionRoute = new GatewayUpstream("v1-production", production.Url, production.Name);
            var shadowRoute = new GatewayUpstream("v2-shadow", shadow.Url, shadow.Name);
            await frontDoor.SwitchAsync(routes => routes with { Production = productionRoute, Shadow = null }, cancellationToken);
            var gatewayPid = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(store.ModelRoot(Model), "gateway.json"), cancellationToken)).RootElement.GetProperty("pid").GetInt32();
            var pids = new Dictionary<string, int>
            {
                ["gateway"] = gatewayPid,
                ["production"] = int.Parse(production.Handle, CultureInfo.InvariantCulture),
                ["shadow"] = int.Parse(shadow.Handle, CultureInfo.InvariantCulture),
            };

            using var client = new HttpClient(new SocketsHttpHandler
            {
                UseProxy = false,
                MaxConnectionsPerServer = 512,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            })
            { Timeout = TimeSpan.FromSeconds(10) };
            var url = new Uri(frontDoor.Url + "/v1/predict");

            context.Log.WriteLine($"[front-door] production {production.Url}, shadow {shadow.Url}, front door {frontDoor.Url}; warming up at {rate:0} req/s");
            await using var generator = await LoadGeneratorProcess.StartAsync(url, bodies, 16, cancellationToken);
            await frontDoor.SwitchAsync(routes => routes with { Shadow = shadowRoute }, cancellationToken);
            await generator.RunAsync(rate, TimeSpan.FromSeconds(2), cancellationToken);
            await frontDoor.SwitchAsync(routes => routes with { Shadow = null }, cancellationToken);
            await generator.RunAsync(rate, TimeSpan.FromSeconds(2), cancellationToken);

            var blocks = new JsonArray();
            var without = new List<BlockLatencies>();
            var with = new List<BlockLatencies>();
            var paired = new List<double>();
            for (var rep = 0; rep < repetitions; rep++)
            {
                // ABBA: the order flips every repetition, so a slow drift of the machine's load biases neither side.
                foreach (var mirrored in rep % 2 == 0 ? new[] { false, true } : [true, false])
                {
                    await frontDoor.SwitchAsync(routes => routes with { Shadow = mirrored ? shadowRoute : null }, cancellationToken);
                    await DrainedAsync(client, frontDoor.Url, cancellationToken); // no backlog of copies from the previous block
                    var cpuBefore = pids.ToDictionary(p => p.Key, p => CpuSeconds(p.Value));
                    var gcBefore = await GatewayRuntimeAsync(client, frontDoor.Url, cancellationToken);
                    var clock = Stopwatch.StartNew();
                    var block = await generator.RunAsync(rate, TimeSpan.FromSeconds(blockSeconds), cancellationToken);
                    var cpu = new JsonObject();
                    foreach (var (name, pid) in pids)
                    {
                        cpu[name] = Math.Round((CpuSeconds(pid) - cpuBefore[name]) / clock.Elapsed.TotalSeconds, 3);
                    }

                    var gcAfter = await GatewayRuntimeAsync(client, frontDoor.Url, cancellationToken);
                    var gc = new JsonObject
                    {
                        ["gen0"] = gcAfter["gen0Collections"]!.GetValue<int>() - gcBefore["gen0Collections"]!.GetValue<int>(),
                        ["gen1"] = gcAfter["gen1Collections"]!.GetValue<int>() - gcBefore["gen1Collections"]!.GetValue<int>(),
                        ["pauseMs"] = Math.Round(gcAfter["gcPauseMs"]!.GetValue<double>() - gcBefore["gcPauseMs"]!.GetValue<double>(), 1),
                        ["allocatedMB"] = Math.Round((gcAfter["allocatedBytes"]!.GetValue<long>() - gcBefore["allocatedBytes"]!.GetValue<long>()) / 1e6, 1),
                    };
                    var json = block.ToJson();
                    json["mirrored"] = mirrored;
                    json["cpuCoresUsed"] = cpu;
                    json["gatewayGc"] = gc;
                    blocks.Add(json);
                    (mirrored ? with : without).Add(block);
                    context.Log.WriteLine($"[front-door] rep {rep + 1} {(mirrored ? "with shadow   " : "without shadow")}: p50 {json["p50Ms"]} ms, p99 {block.P99:0.000} ms, failed {block.Failed}, cpu {cpu.ToJsonString()}, gateway gc {gc.ToJsonString()}");
                }

                paired.Add(((with[^1].P99 / without[^1].P99) - 1) * 100);
            }

            var mirror = await MirrorStatsAsync(client, frontDoor.Url, cancellationToken);
            // The figure: p99 over every request of each condition (tens of thousands each, interleaved ABBA), from the
            // due time. The median of the per-block p99s is reported beside it as a check on drift.
            var pooledWithout = BlockLatencies.Pool(without);
            var pooledWith = BlockLatencies.Pool(with);
            var p99Without = pooledWithout.P99;
            var p99With = pooledWith.P99;
            var added = Math.Round(((p99With / p99Without) - 1) * 100, 2);
            var blockMedianWithout = Median([.. without.Select(b => b.P99)]);
            var blockMedianWith = Median([.. with.Select(b => b.P99)]);
            context.Log.WriteLine($"[front-door] p99 over {pooledWithout.Requests} requests without shadow {p99Without:0.000} ms, over {pooledWith.Requests} with {p99With:0.000} ms: {added:+0.0;-0.0}% (goal ≤ 5%); median of block p99s {blockMedianWithout:0.000} vs {blockMedianWith:0.000} ms");
            return new JsonObject
            {
                ["setup"] = "real processes: Tollgate.Serving as production and as shadow (LocalProcessBackend) behind Tollgate.Gateway (FrontDoorGateway), all on 127.0.0.1",
                ["candidate"] = candidate,
                ["loadGenerator"] = "open loop in its own process (LoadGeneratorProcess: one epoll thread, timerfd pacing, 16 keep-alive sockets): request i is due at start + i/rate whatever earlier answers do; latency from the due time to the whole answer; real bank rows, one per request",
                ["ratePerSecond"] = rate,
                ["shadowPriority"] = shadowPriority.ToString().ToLowerInvariant(),
                ["repetitions"] = repetitions,
                ["blockSeconds"] = blockSeconds,
                ["p99WithoutShadowMs"] = p99Without,
                ["p99WithShadowMs"] = p99With,
                ["addedP99Percent"] = added,
                ["without"] = pooledWithout.ToJson(),
                ["with"] = pooledWith.ToJson(),
                ["medianBlockP99WithoutMs"] = blockMedianWithout,
                ["medianBlockP99WithMs"] = blockMedianWith,
                ["goalAddedP99Percent"] = 5,
                ["goalMet"] = added <= 5,
                ["medianPairedAddedP99Percent"] = Math.Round(Median(paired), 2),
                ["mirror"] = mirror,
                ["blocks"] = blocks,
                ["note"] = $"{rate:0} requests/s open loop on a {Environment.ProcessorCount}-core machine. With a shadow, every request is scored twice (production and shadow processes); the front door's own part is one enqueue and copies are sent by nice-19 threads; the shadow process runs at {shadowPriority.ToString().ToLowerInvariant()} CPU priority (nice 10 when low), so it uses the CPU production leaves idle.",
            };
        }
        finally
        {
            foreach (var deployment in deployments)
            {
                await backend.StopAsync(deployment, TimeSpan.FromSeconds(5), CancellationToken.None);
            }

            await frontDoor.StopAsync(CancellationToken.None);
        }
    }

    internal static async Task<Deployment> StartAsync(LocalProcessBackend backend, string releaseDir, int port, string role, CancellationToken ct, string? servingLogDir = null)
    {
        var version = Path.GetFileName(releaseDir);
        var deployment = await backend.StartAsync(new DeploymentRequest(Model, version, releaseDir, null, port, role, servingLogDir), ct);
        using var probe = new ServerProbe();
        var problem = await probe.WaitReadyAsync(deployment.Url, TimeSpan.FromSeconds(120), async () => (await backend.InspectAsync(deployment, ct)).Running, ct);
        ServerProbe.ThrowIf(problem, role, deployment.Log);
        return deployment;
    }

    private static string Release(string root, string candidate, string contractPath, string version) =>
        ReleaseFolders.Create(root, candidate, contractPath, version);

    /// <summary>Waits (up to 10 s) until the gateway's mirror queue is empty, then a moment for the last copies in flight.</summary>
    private static async Task DrainedAsync(HttpClient client, string frontDoorUrl, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && (await MirrorStatsAsync(client, frontDoorUrl, ct))?["queued"]?.GetValue<int>() is > 0)
        {
            await Task.Delay(50, ct);
        }

        await Task.Delay(300, ct);
    }

    private static async Task<JsonNode> GatewayRuntimeAsync(HttpClient client, string frontDoorUrl, CancellationToken ct)
    {
        var state = JsonNode.Parse(await client.GetStringAsync(new Uri(frontDoorUrl + "/_tollgate/gateway"), ct));
        return state?["runtime"]?.DeepClone() ?? throw new InvalidOperationException("the gateway's state has no runtime figures");
    }

    private static async Task<JsonNode?> MirrorStatsAsync(HttpClient client, string frontDoorUrl, CancellationToken ct)
    {
        var state = JsonNode.Parse(await client.GetStringAsync(new Uri(frontDoorUrl + "/_tollgate/gateway"), ct));
        return state?["mirror"]?.DeepClone();
    }

    /// <summary>User + system CPU time of a process from /proc (Linux), in seconds; NaN elsewhere.</summary>
    private static double CpuSeconds(int pid)
    {
        var path = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
        if (!File.Exists(path))
        {
            return double.NaN;
        }

        var text = File.ReadAllText(path);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0; utime and stime are fields 14 and 15.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
