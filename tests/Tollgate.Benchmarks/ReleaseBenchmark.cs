using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;
using Tollgate.Release.Deployment;
using Tollgate.Release.FrontDoor;
using Tollgate.Release.Shadow;
using Tollgate.Release.Switching;

namespace Tollgate.Benchmarks;

/// <summary>
/// Release speed and safety with the real model server as local processes behind the real front door, while a load
/// generator hammers the front door: rollback time (switch start → the front door serves the previous version), with a
/// warm standby and from a cold start; failed requests during every promote and rollback (goal 0); and the production
/// p99 added by mirroring to a shadow (goal ≤ 5%), measured in alternating blocks with and without a shadow.
/// Needs a release candidate: TOLLGATE_BENCH_CANDIDATE or artifacts/runs/latest/candidate.
/// </summary>
public sealed class ReleaseBenchmark : IBenchmark
{
    private const string Model = "bench-release";

    public string Name => "release";

    public async Task<JsonObject> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var candidate = FindCandidate(context.RepoRoot);
        if (candidate is null)
        {
            return new JsonObject { ["skipped"] = "no release candidate: set TOLLGATE_BENCH_CANDIDATE or run the chain up to learn-thresholds first" };
        }

        var root = Path.Combine(context.WorkDir, "release");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var store = new ReleaseStore(Path.Combine(root, "store"));
        var deploy = DeployOptions.Defaults with { FrontDoorPort = 28180, FirstPort = 28181, LastPort = 28199 };
        var backend = new LocalProcessBackend(store.Root, LocalProcessBackend.DefaultServer, TimeProvider.System);
        using var frontDoor = new FrontDoorGateway(store.ModelRoot(Model), deploy.FrontDoorPort);
        var versions = Enumerable.Range(1, 3).Select(i => Release(root, candidate, $"2026112{i}T0000Z-bench")).ToList();
        var smoke = ReplaySource.FromDumps(Path.Combine(context.RepoRoot, "data", "incoming", "bank-marketing"), Tollgate.Core.Specs.ModelSpecLoader.LoadByName(context.RepoRoot, "bank-marketing"), 5).Select(r => r.Row).ToList();
        var body = smoke[0].ToJsonString();
        var cycles = context.Quick ? 2 : 5;
        try
        {
            var warm = new ReleaseSwitcher(store, Model, backend, frontDoor, deploy, ReleaseOptions.Defaults with { Drain = TimeSpan.FromSeconds(1) }, NoReleaseAliases.Instance, NullStageLog.Instance, TimeProvider.System);
            var cold = new ReleaseSwitcher(store, Model, backend, frontDoor, deploy, ReleaseOptions.Defaults with { Drain = TimeSpan.FromSeconds(1), WarmStandby = false }, NoReleaseAliases.Instance, NullStageLog.Instance, TimeProvider.System);
            await warm.SwitchAsync(Request(ReleaseEvent.PromoteKind, versions[0], smoke), cancellationToken);
            context.Log.WriteLine($"[release] front door {frontDoor.Url} serves {versions[0].Version}; load on, {cycles} promote/rollback cycles each way");

            using var load = new LoadLoop(frontDoor.Url, body, connections: 4);
            var warmTimes = new List<double>();
            var coldTimes = new List<double>();
            var promoteTimes = new List<double>();
            for (var i = 0; i < cycles; i++)
            {
                promoteTimes.Add(await TimedAsync(warm, frontDoor, Request(ReleaseEvent.PromoteKind, versions[1], smoke), cancellationToken));
                warmTimes.Add(await TimedAsync(warm, frontDoor, Request(ReleaseEvent.RollbackKind, versions[0], smoke), cancellationToken));
                promoteTimes.Add(await TimedAsync(cold, frontDoor, Request(ReleaseEvent.PromoteKind, versions[2], smoke), cancellationToken));
                coldTimes.Add(await TimedAsync(cold, frontDoor, Request(ReleaseEvent.RollbackKind, versions[0], smoke), cancellationToken));
                context.Log.WriteLine($"[release] cycle {i + 1}: rollback warm {warmTimes[^1]:0.000} s, cold {coldTimes[^1]:0.000} s; failed requests so far {load.Failed}");
            }

            var switchLoad = load.Stop();

            // Mirroring overhead: closed-loop single connection, alternating blocks without and with a shadow.
            var shadowDeployment = await backend.StartAsync(new DeploymentRequest(Model, versions[1].Version, versions[1].ModelDir, null, 28198, "shadow", null), cancellationToken);
            using (var probe = new ServerProbe())
            {
                ServerProbe.ThrowIf(await probe.WaitReadyAsync(shadowDeployment.Url, TimeSpan.FromSeconds(120), () => Task.FromResult(true), cancellationToken), "shadow", shadowDeployment.Log);
            }

            var without = new List<double>();
            var with = new List<double>();
            var perBlock = context.Quick ? 500 : 2000;
            for (var block = 0; block < (context.Quick ? 2 : 4); block++)
            {
                await frontDoor.SwitchAsync(r => r with { Shadow = null }, cancellationToken);
                without.Add(await P99Async(frontDoor.Url, body, perBlock, cancellationToken));
                await frontDoor.SwitchAsync(r => r with { Shadow = new GatewayUpstream(versions[1].Version, shadowDeployment.Url, shadowDeployment.Name) }, cancellationToken);
                with.Add(await P99Async(frontDoor.Url, body, perBlock, cancellationToken));
                context.Log.WriteLine($"[release] mirroring block {block + 1}: p99 without {without[^1]:0.000} ms, with {with[^1]:0.000} ms");
            }

            var state = await frontDoor.StateAsync(cancellationToken);
            return new JsonObject
            {
                ["backend"] = "local processes (real Tollgate.Serving) behind the real Tollgate.Gateway",
                ["candidate"] = candidate,
                ["rollbackWarmStandbySeconds"] = Summary(warmTimes),
                ["rollbackColdStartSeconds"] = Summary(coldTimes),
                ["promoteSeconds"] = Summary(promoteTimes),
                ["rollbackGoalSeconds"] = 5,
                ["loadDuringSwitches"] = new JsonObject { ["connections"] = 4, ["requests"] = switchLoad.Requests, ["failed"] = switchLoad.Failed, ["goalFailed"] = 0 },
                ["mirroring"] = new JsonObject
                {
                    ["requestsPerBlock"] = perBlock,
                    ["p99WithoutMs"] = Median(without),
                    ["p99WithMs"] = Median(with),
                    ["addedP99Percent"] = Math.Round(((Median(with) / Median(without)) - 1) * 100, 2),
                    ["goalAddedP99Percent"] = 5,
                    ["routesGeneration"] = state?.Generation,
                },
                ["note"] = "rollback time is measured in-process from the switch call to the front door reporting the target in /v1/metadata; the CLI adds its own start-up (~0.5 s).",
            };
        }
        finally
        {
            foreach (var d in await backend.ListAsync(Model, CancellationToken.None))
            {
                await backend.StopAsync(d, TimeSpan.FromSeconds(5), CancellationToken.None);
            }

            await frontDoor.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<double> TimedAsync(ReleaseSwitcher switcher, FrontDoorGateway frontDoor, SwitchRequest request, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var result = await switcher.SwitchAsync(request, ct);
        if (result.Failure is not null)
        {
            throw new InvalidOperationException(result.Failure);
        }

        using var probe = new ServerProbe();
        while ((string?)(await probe.MetadataAsync(frontDoor.Url, ct))?["version"] != request.Target.Version)
        {
            await Task.Delay(5, ct);
        }

        // The switch is done when the front door serves the target; draining and stopping the old one come after.
        return Math.Round(result.Elapsed.TotalSeconds, 3);
    }

    private static async Task<double> P99Async(string url, string body, int count, CancellationToken ct)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var ms = new double[count];
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(url + "/v1/predict", content, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            ms[i] = clock.Elapsed.TotalMilliseconds;
        }

        return LatencySummary.Of(ms).P99;
    }

    private static SwitchRequest Request(string kind, ReleasedModel target, IReadOnlyList<JsonObject> smoke) => new(kind, target, "benchmark", smoke);

    private static ReleasedModel Release(string root, string candidate, string version)
    {
        var dir = Path.Combine(root, "releases", version);
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(candidate))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)), overwrite: true);
        }

        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "candidate.json")))!.AsObject();
        meta["version"] = version;
        File.WriteAllText(Path.Combine(dir, "candidate.json"), meta.ToJsonString());
        var contract = Path.Combine(dir, "contract.odcs.yaml");
        if (!File.Exists(contract))
        {
            File.Copy(Path.Combine(FindRepo(root), "data-contracts", "bank-marketing.odcs.yaml"), contract);
        }

        return new ReleasedModel(Model, version, version, dir);
    }

    private static string FindRepo(string from)
    {
        var dir = new DirectoryInfo(from);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tollgate.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + from);
    }

    private static string? FindCandidate(string repoRoot)
    {
        if (Environment.GetEnvironmentVariable("TOLLGATE_BENCH_CANDIDATE") is { Length: > 0 } env)
        {
            return Path.GetFullPath(env);
        }

        var latest = Path.Combine(repoRoot, "artifacts", "runs", "latest");
        if (!File.Exists(latest))
        {
            return null;
        }

        var dir = Path.Combine(repoRoot, "artifacts", "runs", File.ReadAllText(latest).Trim(), "candidate");
        return File.Exists(Path.Combine(dir, "model.zip")) ? dir : null;
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

    private static JsonObject Summary(List<double> values) => new()
    {
        ["median"] = Median(values),
        ["min"] = values.Min(),
        ["max"] = values.Max(),
        ["runs"] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
    };

    /// <summary>Closed-loop clients on the front door counting failed requests (non-2xx or no answer).</summary>
    private sealed class LoadLoop : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly HttpClient client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        private readonly List<Task> loops;
        private readonly ConcurrentBag<string> errors = [];
        private long requests;
        private long failed;

        public LoadLoop(string url, string body, int connections)
        {
            loops = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var content = new StringContent(body, Encoding.UTF8, "application/json");
                        using var response = await client.PostAsync(url + "/v1/predict", content);
                        await response.Content.ReadAsByteArrayAsync();
                        if (!response.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref failed);
                            errors.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }
                    catch (HttpRequestException ex)
                    {
                        Interlocked.Increment(ref failed);
                        errors.Add(ex.Message);
                    }

                    Interlocked.Increment(ref requests);
                }
            })).ToList();
        }

        public long Failed => Interlocked.Read(ref failed);

        public (long Requests, long Failed) Stop()
        {
            stop.Cancel();
            Task.WaitAll(loops);
            return (Interlocked.Read(ref requests), Interlocked.Read(ref failed));
        }

        public void Dispose()
        {
            if (!stop.IsCancellationRequested)
            {
                Stop();
            }

            stop.Dispose();
            client.Dispose();
        }
    }
}
