using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;
using Tollgate.Release.Deployment;
using Tollgate.Release.Docker;
using Tollgate.Release.FrontDoor;
using Tollgate.Release.Images;
using Tollgate.Release.Pruning;
using Tollgate.Release.Shadow;
using Tollgate.Release.Switching;

namespace Tollgate.Benchmarks;

/// <summary>
/// Release speed and safety with the real model server behind the real front door, while a load generator hammers the
/// front door: rollback time (switch start → the front door serves the previous version), with a warm standby and
/// from a cold start; promote time; failed requests during every promote and rollback (goal 0); and where a cold start
/// spends its time (backend start, server ready, smoke set). Runs on the <b>Docker backend</b> when an engine answers and
/// an image of the candidate is in the registry (TOLLGATE_BENCH_IMAGE, else the latest run's build-image/image.json);
/// the three versions are that image re-versioned (a thin layer with another candidate.json each, pushed to
/// <c>tollgate-bench-release</c> in the same registry). Otherwise local processes, and the JSON says which and why.
/// Needs a release candidate: TOLLGATE_BENCH_CANDIDATE or artifacts/runs/latest/candidate.
/// (The mirroring overhead is measured by FrontDoorBenchmark.)
/// </summary>
public sealed class ReleaseBenchmark : IBenchmark
{
    private const string Model = "bench-release";
    private const string BenchRepository = "tollgate-bench-release";

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
        var versionNames = Enumerable.Range(1, 3).Select(i => $"2026112{i}T0000Z-bench").ToList();
        var versions = versionNames.Select(v => Release(root, candidate, v)).ToList();
        var (docker, why) = await DockerImagesAsync(context, candidate, versionNames, cancellationToken);
        IDeploymentBackend backend;
        string backendText;
        if (docker is not null)
        {
            versions = versions.Select((v, i) => v with { ImageDigest = docker.References[i] }).ToList();
            backend = new DockerBackend(DockerEndpoint.Resolve(), store.Root, TimeProvider.System);
            backendText = $"docker (containers of {docker.Registry}/{BenchRepository}, re-versioned from {docker.BaseImage}) behind the real Tollgate.Gateway";
        }
        else
        {
            backend = new LocalProcessBackend(store.Root, LocalProcessBackend.DefaultServer, TimeProvider.System);
            backendText = $"local processes (real Tollgate.Serving) behind the real Tollgate.Gateway — not Docker: {why}";
        }

        context.Log.WriteLine($"[release] backend: {backendText}");
        using var frontDoor = new FrontDoorGateway(store.ModelRoot(Model), deploy.FrontDoorPort);
        var smoke = ReplaySource.FromDumps(Path.Combine(context.RepoRoot, "data", "incoming", "bank-marketing"), Tollgate.Core.Specs.ModelSpecLoader.LoadByName(context.RepoRoot, "bank-marketing"), 5).Select(r => r.Row).ToList();
        var body = smoke[0].ToJsonString();
        var cycles = context.Quick ? 3 : 5;
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
            var breakdown = await ColdStartBreakdownAsync(backend, versions[1], smoke, context.Quick ? 3 : 5, cancellationToken);
            context.Log.WriteLine($"[release] cold start breakdown (median s): {breakdown.ToJsonString()}");
            return new JsonObject
            {
                ["backend"] = backendText,
                ["docker"] = docker is not null,
                ["candidate"] = candidate,
                ["rollbackWarmStandbySeconds"] = Summary(warmTimes),
                ["rollbackColdStartSeconds"] = Summary(coldTimes),
                ["promoteSeconds"] = Summary(promoteTimes),
                ["rollbackGoalSeconds"] = 5,
                ["coldStartBreakdownSeconds"] = breakdown,
                ["loadDuringSwitches"] = new JsonObject { ["connections"] = 4, ["requests"] = switchLoad.Requests, ["failed"] = switchLoad.Failed, ["goalFailed"] = 0 },
                ["note"] = "rollback time is measured in-process from the switch call (lock, recovery check, listing, start or reuse, /health/ready, smoke set, front-door switch) until the front door serves the target; the tollgate CLI adds its own start-up (~0.5 s). Warm: the previous version kept running as standby (release.warmStandby, the default); cold: it was stopped and its container/process starts again.",
            };
        }
        finally
        {
            foreach (var d in await backend.ListAsync(Model, CancellationToken.None))
            {
                await backend.StopAsync(d, TimeSpan.FromSeconds(5), CancellationToken.None);
            }

            await frontDoor.StopAsync(CancellationToken.None);
            (backend as IDisposable)?.Dispose();
            if (docker is not null)
            {
                await docker.DeleteAsync();
            }
        }
    }

    /// <summary>Where a cold start's time goes: the backend's start call (container create+start or process spawn), then until /health/ready, then the smoke set.</summary>
    private static async Task<JsonObject> ColdStartBreakdownAsync(IDeploymentBackend backend, ReleasedModel version, IReadOnlyList<JsonObject> smoke, int runs, CancellationToken ct)
    {
        var (start, ready, smoked) = (new List<double>(), new List<double>(), new List<double>());
        using var probe = new ServerProbe();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            var d = await backend.StartAsync(new DeploymentRequest(Model, version.Version, version.ModelDir, version.ImageDigest, 28197, "breakdown", null), ct);
            start.Add(clock.Elapsed.TotalSeconds);
            ServerProbe.ThrowIf(await probe.WaitReadyAsync(d.Url, TimeSpan.FromSeconds(120), async () => (await backend.InspectAsync(d, ct)).Running, ct), "breakdown", d.Log);
            ready.Add(clock.Elapsed.TotalSeconds - start[^1]);
            ServerProbe.ThrowIf(await probe.SmokeAsync(d.Url, smoke, ct), "breakdown smoke", d.Log);
            smoked.Add(clock.Elapsed.TotalSeconds - start[^1] - ready[^1]);
            await backend.StopAsync(d, TimeSpan.FromSeconds(5), ct);
        }

        return new JsonObject
        {
            ["backendStart"] = Math.Round(Median(start), 3),
            ["untilReady"] = Math.Round(Median(ready), 3),
            ["smokeSet"] = Math.Round(Median(smoked), 3),
            ["runs"] = runs,
        };
    }

    /// <summary>
    /// The three bench versions as images, when an engine answers and the candidate's image can be found: thin images
    /// FROM it with each version's candidate.json, pushed next to it. Null (and why) when Docker cannot be used.
    /// </summary>
    private static async Task<(BenchImages? Images, string Why)> DockerImagesAsync(BenchmarkContext context, string candidate, IReadOnlyList<string> versions, CancellationToken ct)
    {
        var baseImage = Environment.GetEnvironmentVariable("TOLLGATE_BENCH_IMAGE") is { Length: > 0 } configured ? configured : LatestImage(context.RepoRoot);
        if (baseImage is null)
        {
            return (null, "no image of the candidate (set TOLLGATE_BENCH_IMAGE=registry/name@sha256:…, or run the chain with TOLLGATE_REGISTRY so build-image pushes one)");
        }

        DockerEngine engine;
        try
        {
            engine = await DockerEngine.ConnectAsync(DockerEndpoint.Resolve(), TimeSpan.FromSeconds(3), ct);
        }
        catch (Tollgate.Core.Errors.InfrastructureException ex)
        {
            return (null, ex.Message);
        }

        using (engine)
        {
            try
            {
                if (!await engine.ImageExistsAsync(baseImage, ct))
                {
                    await engine.PullAsync(baseImage, ct);
                }

                var registry = Environment.GetEnvironmentVariable("TOLLGATE_REGISTRY") is { Length: > 0 } r ? r : baseImage.Split('/')[0];
                var images = new BenchImages(registry, baseImage);
                foreach (var version in versions)
                {
                    var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(candidate, "candidate.json")))!.AsObject();
                    meta["version"] = version;
                    var reference = $"{registry}/{BenchRepository}:{version}";
                    var dockerfile = $"FROM {baseImage}\nCOPY candidate.json {ImageDockerfile.ModelDir}/candidate.json\nENV TOLLGATE_SERVING_IMAGE=\"{reference}\"\n";
                    using var tar = new MemoryStream();
                    BuildContext.WriteTar(new Dictionary<string, string>(), new Dictionary<string, string> { ["Dockerfile"] = dockerfile, ["candidate.json"] = meta.ToJsonString() }, tar);
                    tar.Position = 0;
                    await engine.BuildAsync(tar, reference, NullStageLog.Instance, ct);
                    var digest = await engine.PushAsync(reference, ct);
                    images.Add(reference, $"{registry}/{BenchRepository}@{digest}", digest);
                }

                return (images, string.Empty);
            }
            catch (Exception ex) when (ex is Tollgate.Core.Errors.InfrastructureException or DockerBuildException or HttpRequestException)
            {
                return (null, $"could not prepare images from {baseImage}: {ex.Message}");
            }
        }
    }

    private static string? LatestImage(string repoRoot)
    {
        var latest = Path.Combine(repoRoot, "artifacts", "runs", "latest");
        if (!File.Exists(latest))
        {
            return null;
        }

        var path = Path.Combine(repoRoot, "artifacts", "runs", File.ReadAllText(latest).Trim(), StageName.BuildImage, BuildImageResult.FileName);
        var result = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
        return (string?)result?["kind"] == "image" ? (string?)result?["referenceByDigest"] : null;
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

    private static SwitchRequest Request(string kind, ReleasedModel target, IReadOnlyList<JsonObject> smoke) => new(kind, target, "benchmark", smoke);

    private static ReleasedModel Release(string root, string candidate, string version) =>
        new(Model, version, version, ReleaseFolders.Create(root, candidate, Path.Combine(FindRepo(root), "data-contracts", "bank-marketing.odcs.yaml"), version));

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

    /// <summary>The bench's own images: references by digest in version order; deleted from the registry and engine afterwards.</summary>
    private sealed class BenchImages(string registry, string baseImage)
    {
        private readonly List<(string Tag, string Digest)> pushed = [];

        public string Registry => registry;

        public string BaseImage => baseImage;

        public List<string> References { get; } = [];

        public void Add(string tag, string byDigest, string digest)
        {
            References.Add(byDigest);
            pushed.Add((tag, digest));
        }

        public async Task DeleteAsync()
        {
            using var client = new RegistryClient(registry);
            using var engine = await DockerEngine.ConnectAsync(DockerEndpoint.Resolve(), TimeSpan.FromSeconds(3), CancellationToken.None);
            foreach (var (tag, digest) in pushed)
            {
                await client.DeleteAsync(BenchRepository, digest, CancellationToken.None);
                await engine.RemoveImageAsync(tag, CancellationToken.None);
            }
        }
    }

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
