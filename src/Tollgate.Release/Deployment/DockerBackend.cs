using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;
using Tollgate.Core.Errors;
using Tollgate.Release.Docker;

namespace Tollgate.Release.Deployment;

/// <summary>
/// Model versions as containers of their images on a Docker engine (Engine API over Docker.DotNet). Each container is
/// named <c>model-version-port</c>, runs with host networking (the engine has no bridge; traffic stays on 127.0.0.1)
/// and binds its server to <c>127.0.0.1:port</c>; its <see cref="DockerLabels"/> are the backend's only state, so any
/// runner on the same engine sees the same deployments — scoped to the release store, so two stores releasing the same
/// model on one engine (CI and a checkout, parallel tests) never touch each other's containers. A crashing server is restarted by the engine a few times
/// (<c>on-failure:3</c>), which <see cref="InspectAsync"/> reports as restarts, with the server's memory (from /proc
/// when the engine is local, else the engine's stats API). A stopped container's output is saved
/// to <c>&lt;store&gt;/&lt;model&gt;/deployments/&lt;name&gt;.log</c> before it is removed, so failure messages can
/// point at it.
/// </summary>
public sealed partial class DockerBackend : IDeploymentBackend, IDisposable
{
    /// <summary>cpu-shares of a low-priority container (a quarter of the default weight).</summary>
    public const long LowCpuShares = 256;

    /// <summary>Where a deployment's serving-log folder is mounted inside its container.</summary>
    public const string ContainerLogDir = "/var/log/tollgate";

    /// <summary>How often the engine restarts a server that exits with an error before giving up.</summary>
    public const long MaxRestarts = 3;

    private readonly DockerClient client;
    private readonly string storeRoot;
    private readonly TimeProvider time;

    /// <param name="endpoint">The engine, e.g. <c>unix:///var/run/docker.sock</c> (<see cref="DockerEndpoint.Resolve"/>).</param>
    /// <param name="storeRoot">The release store root (where stopped containers' logs are kept).</param>
    /// <param name="time">Clock.</param>
    public DockerBackend(Uri endpoint, string storeRoot, TimeProvider time)
    {
        Endpoint = endpoint;
        this.storeRoot = Path.GetFullPath(storeRoot);
        this.time = time;
        client = new DockerClientConfiguration(endpoint, defaultTimeout: TimeSpan.FromSeconds(100)).CreateClient();
    }

    public Uri Endpoint { get; }

    public string Name => "docker";

    /// <summary>The deterministic container name of a request: <c>model-version-port</c>, reduced to the characters Docker accepts.</summary>
    public static string ContainerName(string model, string version, int port) =>
        UnsafeNameChars().Replace($"{model}-{version}-{port.ToString(CultureInfo.InvariantCulture)}", "_");

    public async Task<Deployment> StartAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Image))
        {
            throw new ConfigurationException(
                $"deploy.backend is docker but {request.Model} {request.Version} has no image: Build-Image packaged a release folder ({request.ReleaseDir}) " +
                "because no engine or registry was configured when it ran. Set TOLLGATE_REGISTRY (e.g. 127.0.0.1:5000; image.registry in model.yaml) and re-run " +
                "build-image for this run, or set deploy.backend: local to serve release folders as local processes.");
        }

        var name = ContainerName(request.Model, request.Version, request.Port);
        var url = $"http://127.0.0.1:{request.Port.ToString(CultureInfo.InvariantCulture)}";
        return await CallAsync(
            async () =>
            {
                var existing = await TryInspectAsync(name, cancellationToken);
                if (existing is not null)
                {
                    var ours = Label(existing.Config.Labels, DockerLabels.Store) == storeRoot;
                    if (ours && existing.State.Running && !existing.State.Restarting && Label(existing.Config.Labels, DockerLabels.Image) == request.Image)
                    {
                        return ToDeployment(name, existing.ID, existing.Config.Labels, existing.Created);
                    }

                    if (!ours && existing.State.Running)
                    {
                        throw new InfrastructureException(
                            $"container {name} already runs for another release store ({Label(existing.Config.Labels, DockerLabels.Store) ?? "none"}), holding port {request.Port}; " +
                            "give this store its own deploy.ports and deploy.frontDoorPort in model.yaml, or stop that deployment.");
                    }

                    // A stopped, crashed or differently-imaged container of the same name is a leftover of an earlier run.
                    await client.Containers.RemoveContainerAsync(existing.ID, new ContainerRemoveParameters { Force = true }, cancellationToken);
                }

                await EnsureImageAsync(request.Image, cancellationToken);
                var labels = new Dictionary<string, string>
                {
                    [DockerLabels.Model] = request.Model,
                    [DockerLabels.Version] = request.Version,
                    [DockerLabels.Role] = request.Role,
                    [DockerLabels.Port] = request.Port.ToString(CultureInfo.InvariantCulture),
                    [DockerLabels.Image] = request.Image,
                    [DockerLabels.Store] = storeRoot,
                };

                // The image's entry point is the server; it reads TOLLGATE_SERVING_<OPTION> when no argument is given
                // (ServingOptionsParser), and its --healthcheck reads the same URL, so the environment sets both.
                List<string> env = [$"TOLLGATE_SERVING_URLS={url}"];
                List<string> binds = [];
                if (request.ServingLogDir is { } logDir)
                {
                    PrepareLogDir(logDir);
                    binds.Add($"{Path.GetFullPath(logDir)}:{ContainerLogDir}");
                    env.Add($"TOLLGATE_SERVING_LOG_DIR={ContainerLogDir}");
                }

                var created = await client.Containers.CreateContainerAsync(
                    new CreateContainerParameters
                    {
                        Name = name,
                        Image = request.Image,
                        Env = env,
                        Labels = labels,
                        HostConfig = new HostConfig
                        {
                            NetworkMode = "host",
                            Binds = binds,
                            RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.OnFailure, MaximumRetryCount = MaxRestarts },
                        },
                    },
                    cancellationToken);
                await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
                return new Deployment(name, request.Model, request.Version, url, request.Port, Name, created.ID, time.GetUtcNow(), LogPath(request.Model, name));
            },
            $"starting {request.Image} as {name}");
    }

    public Task<IReadOnlyList<Deployment>> ListAsync(string model, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<Deployment>>(
            async () =>
            {
                var containers = await client.Containers.ListContainersAsync(
                    new ContainersListParameters
                    {
                        All = true,
                        Filters = new Dictionary<string, IDictionary<string, bool>>
                        {
                            ["label"] = new Dictionary<string, bool> { [$"{DockerLabels.Model}={model}"] = true, [$"{DockerLabels.Store}={storeRoot}"] = true },
                        },
                    },
                    cancellationToken);
                return containers
                    .Where(c => c.Labels is not null && c.Labels.ContainsKey(DockerLabels.Version) && c.Labels.ContainsKey(DockerLabels.Port))
                    .Select(c => ToDeployment(c.Names.FirstOrDefault()?.TrimStart('/') ?? c.ID, c.ID, c.Labels, c.Created))
                    .OrderBy(d => d.StartedAt)
                    .ToList();
            },
            $"listing the containers of {model}");

    public Task<DeploymentStatus> InspectAsync(Deployment deployment, CancellationToken cancellationToken) =>
        CallAsync(
            async () =>
            {
                var container = await TryInspectAsync(deployment.Name, cancellationToken);
                if (container is null || container.ID != deployment.Handle && !deployment.Handle.StartsWith(container.ID, StringComparison.Ordinal))
                {
                    return new DeploymentStatus(false, 0, null);
                }

                // A container between two engine restarts is not serving: it counts as down, its restarts show it.
                var running = container.State.Running && !container.State.Restarting;
                return new DeploymentStatus(running, (int)container.RestartCount, running ? LocalResidentBytes(container) ?? await MemoryAsync(container.ID, cancellationToken) : null);
            },
            $"inspecting {deployment.Name}");

    /// <summary>cpu-shares 256 for <see cref="DeploymentPriority.Low"/>, the engine's default 1024 otherwise (no privilege needed).</summary>
    public Task<bool> SetPriorityAsync(Deployment deployment, DeploymentPriority priority, CancellationToken cancellationToken) =>
        CallAsync(
            async () =>
            {
                await client.Containers.UpdateContainerAsync(
                    deployment.Handle,
                    new ContainerUpdateParameters { CPUShares = priority == DeploymentPriority.Low ? LowCpuShares : 1024 },
                    cancellationToken);
                return true;
            },
            $"setting the CPU priority of {deployment.Name}");

    public Task StopAsync(Deployment deployment, TimeSpan grace, CancellationToken cancellationToken) =>
        CallAsync(
            async () =>
            {
                var container = await TryInspectAsync(deployment.Name, cancellationToken);
                if (container is null)
                {
                    return true; // stopping a stopped (removed) deployment is a no-op
                }

                if (container.State.Running)
                {
                    await client.Containers.StopContainerAsync(
                        container.ID, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Max(0, Math.Ceiling(grace.TotalSeconds)) }, cancellationToken);
                }

                await SaveLogAsync(container.ID, LogPath(deployment.Model, deployment.Name), cancellationToken);
                try
                {
                    await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, cancellationToken);
                }
                catch (DockerContainerNotFoundException)
                {
                    // Removed meanwhile by another runner: the goal is reached.
                }
                catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Conflict)
                {
                    // "removal already in progress": another runner is stopping it.
                }

                return true;
            },
            $"stopping {deployment.Name}");

    public void Dispose() => client.Dispose();

    private async Task<ContainerInspectResponse?> TryInspectAsync(string nameOrId, CancellationToken cancellationToken)
    {
        try
        {
            return await client.Containers.InspectContainerAsync(nameOrId, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Pulls <paramref name="image"/> (normally <c>registry/name@sha256:…</c>) unless the engine already holds it.</summary>
    private async Task EnsureImageAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await client.Images.InspectImageAsync(image, cancellationToken);
            return;
        }
        catch (DockerImageNotFoundException)
        {
            // Not here yet (a fresh runner, or pruned from the engine but kept in the registry): pull it.
        }

        var errors = new List<string>();
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var (repository, tag) = at > 0 ? (image[..at], image[(at + 1)..]) : DockerEngine.SplitTag(image);
        await client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromImage = repository, Tag = tag },
            new AuthConfig(),
            new SyncProgress<JSONMessage>(m =>
            {
                if (m.Error?.Message is { Length: > 0 } error)
                {
                    errors.Add(error);
                }
            }),
            cancellationToken);
        if (errors.Count > 0)
        {
            throw new InfrastructureException(
                $"pulling {image} failed: {errors[^1]}. Is the registry {repository.Split('/')[0]} running (build/infra/start-services.sh), and was this image pruned? " +
                "Roll back to a version whose image is kept (prune-images keeps the last seven), or re-run build-image.");
        }
    }

    /// <summary>
    /// The server's resident memory read from <c>/proc</c> when the engine runs on this host (the container's main process
    /// is the server; its cgroup names the container, so a pid of a remote engine is never mistaken for a local one) —
    /// the figure the local backend reports too, and free: the stats API takes 0.2–0.5 s per call on a loaded machine,
    /// and the release stages inspect on every readiness poll.
    /// </summary>
    private static long? LocalResidentBytes(ContainerInspectResponse container)
    {
        try
        {
            return container.State.Pid > 0 && File.ReadAllText($"/proc/{container.State.Pid.ToString(CultureInfo.InvariantCulture)}/cgroup").Contains(container.ID, StringComparison.Ordinal)
                ? DetachedProcess.ResidentBytes((int)container.State.Pid)
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Working-set memory from the stats API (remote engines) (one sample, no streaming): usage minus reclaimable file cache.</summary>
    private async Task<long?> MemoryAsync(string id, CancellationToken cancellationToken)
    {
        ContainerStatsResponse? sample = null;
        try
        {
            await client.Containers.GetContainerStatsAsync(
                id, new ContainerStatsParameters { Stream = false, OneShot = true }, new SyncProgress<ContainerStatsResponse>(s => sample = s), cancellationToken);
        }
        catch (DockerApiException)
        {
            return null; // the container stopped between inspect and stats
        }

        if (sample?.MemoryStats is not { Usage: > 0 } memory)
        {
            return null;
        }

        var inactive = memory.Stats is { } stats && (stats.TryGetValue("inactive_file", out var v2) || stats.TryGetValue("total_inactive_file", out v2)) ? v2 : 0UL;
        return (long)(memory.Usage - Math.Min(memory.Usage, inactive));
    }

    private async Task SaveLogAsync(string id, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await client.Containers.GetContainerLogsAsync(id, tty: false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = "500" }, cancellationToken);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, stdout + stderr, cancellationToken);
        }
        catch (Exception ex) when (ex is DockerApiException or IOException or UnauthorizedAccessException)
        {
            // The log is a courtesy for failure messages; losing it must not keep a container running.
        }
    }

    /// <summary>
    /// The server runs as a fixed non-root user (ImageDockerfile.User); the mounted serving-log folder must be writable
    /// for it whoever owns it on the host. Only this version's folder is opened, not the store.
    /// </summary>
    private static void PrepareLogDir(string logDir)
    {
        Directory.CreateDirectory(logDir);
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                File.SetUnixFileMode(logDir, (UnixFileMode)0x1FF); // rwxrwxrwx
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to change; the server then logs that it cannot write and keeps serving.
            }
        }
    }

    private Deployment ToDeployment(string name, string id, IDictionary<string, string> labels, DateTime created)
    {
        var port = int.Parse(labels[DockerLabels.Port], CultureInfo.InvariantCulture);
        return new Deployment(
            name, labels[DockerLabels.Model], labels[DockerLabels.Version], $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", port, Name, id,
            new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)), LogPath(labels[DockerLabels.Model], name));
    }

    private string LogPath(string model, string name) => Path.Combine(storeRoot, model, "deployments", name + ".log");

    private static string? Label(IDictionary<string, string>? labels, string key) => labels is not null && labels.TryGetValue(key, out var v) ? v : null;

    private async Task<T> CallAsync<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or TimeoutException)
        {
            throw new InfrastructureException($"{what}: {DockerEndpoint.Advice(Endpoint)} ({ex.GetType().Name}: {ex.Message})", ex);
        }
        catch (DockerApiException ex)
        {
            throw new InfrastructureException($"{what}: the Docker engine at {Endpoint} answered {(int)ex.StatusCode}: {ex.ResponseBody?.Trim()}", ex);
        }
    }

    [GeneratedRegex("[^a-zA-Z0-9_.-]")]
    private static partial Regex UnsafeNameChars();

    /// <summary>Runs the callback on the caller's thread (Progress&lt;T&gt; posts later, after the call has returned).</summary>
    private sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
