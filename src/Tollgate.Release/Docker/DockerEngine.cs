using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Tollgate.Core.Errors;
using Tollgate.Core.Stages;

namespace Tollgate.Release.Docker;

/// <summary>
/// The Docker Engine API calls the release stages make (build, push, inspect, pull, run), over Docker.DotNet.
/// Docker.DotNet 3.125 is used rather than Docker.DotNet.Enhanced 4.x: it speaks Engine API 1.41, exactly what
/// Debian bookworm's docker.io 20.10 offers (the engine our CI machines run), and it is what the project already
/// references; Enhanced follows newer engines and adds nothing these calls need.
/// Every "could not reach" becomes an <see cref="InfrastructureException"/> that says how to point at an engine.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    private readonly DockerClient client;

    private DockerEngine(Uri endpoint, DockerClient client)
    {
        Endpoint = endpoint;
        this.client = client;
    }

    public Uri Endpoint { get; }

    /// <summary>Connects and pings the engine; no answer within <paramref name="timeout"/> → <see cref="InfrastructureException"/> (exit 4).</summary>
    public static async Task<DockerEngine> ConnectAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var client = new DockerClientConfiguration(endpoint, defaultTimeout: Timeout.InfiniteTimeSpan).CreateClient();
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            await client.System.PingAsync(cts.Token);
            return new DockerEngine(endpoint, client);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException or OperationCanceledException or DockerApiException or System.Net.Sockets.SocketException)
        {
            client.Dispose();
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new InfrastructureException($"{DockerEndpoint.Advice(endpoint)} ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    /// <summary>True when an image (name:tag or id) is present in the engine.</summary>
    public async Task<bool> ImageExistsAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            await client.Images.InspectImageAsync(reference, cancellationToken);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    public Task<ImageInspectResponse> InspectImageAsync(string reference, CancellationToken cancellationToken) =>
        client.Images.InspectImageAsync(reference, cancellationToken);

    /// <summary>Builds <paramref name="contextTar"/> and tags it; returns the image id and how many steps came from the cache.</summary>
    public async Task<(string ImageId, int CachedSteps)> BuildAsync(Stream contextTar, string tag, IStageLog log, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var cached = 0;
        var progress = new Progress<JSONMessage>(m =>
        {
            if (m.Error?.Message is { Length: > 0 } error)
            {
                errors.Add(error);
            }
            else if (m.ErrorMessage is { Length: > 0 } message)
            {
                errors.Add(message);
            }

            if (m.Stream is { Length: > 0 } line && line.Trim() is { Length: > 0 } trimmed)
            {
                if (trimmed.Contains("Using cache", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref cached);
                }

                if (trimmed.StartsWith("Step ", StringComparison.Ordinal) || trimmed.Contains("Using cache", StringComparison.Ordinal))
                {
                    log.Info("docker: " + trimmed);
                }
            }
        });
        try
        {
            await client.Images.BuildImageFromDockerfileAsync(
                new ImageBuildParameters { Tags = [tag], Remove = true, ForceRemove = true },
                contextTar,
                [],
                new Dictionary<string, string>(),
                progress,
                cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new InfrastructureException($"the Docker engine at {Endpoint} failed during the build: {ex.Message}", ex);
        }

        // Progress<T> posts callbacks asynchronously; give the last ones a moment before judging the build.
        await Task.Delay(200, cancellationToken);
        if (errors.Count > 0)
        {
            throw new DockerBuildException(errors[^1]);
        }

        var image = await client.Images.InspectImageAsync(tag, cancellationToken);
        return (image.ID, Volatile.Read(ref cached));
    }

    /// <summary>Pushes <paramref name="reference"/> (registry/name:tag) and returns the manifest digest the registry holds.</summary>
    public async Task<string> PushAsync(string reference, CancellationToken cancellationToken)
    {
        var (name, tag) = SplitTag(reference);
        string? digest = null;
        var errors = new List<string>();
        var progress = new Progress<JSONMessage>(m =>
        {
            if (m.Error?.Message is { Length: > 0 } error)
            {
                errors.Add(error);
            }

            // The engine's last push message carries the digest: "<tag>: digest: sha256:… size: …".
            if (m.Status is { } status && status.Contains("digest: sha256:", StringComparison.Ordinal))
            {
                var start = status.IndexOf("sha256:", StringComparison.Ordinal);
                digest = status[start..].Split(' ')[0];
            }
        });
        try
        {
            await client.Images.PushImageAsync(name, new ImagePushParameters { Tag = tag }, new AuthConfig(), progress, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or DockerApiException)
        {
            throw new InfrastructureException($"pushing {reference} failed: {ex.Message}. Is the registry {name.Split('/')[0]} running (build/infra/start-services.sh)?", ex);
        }

        await Task.Delay(200, cancellationToken);
        if (errors.Count > 0)
        {
            throw new InfrastructureException($"pushing {reference} failed: {errors[^1]}. Is the registry {name.Split('/')[0]} running and TOLLGATE_REGISTRY right?");
        }

        if (digest is null)
        {
            var inspected = await client.Images.InspectImageAsync(reference, cancellationToken);
            digest = inspected.RepoDigests?.FirstOrDefault(d => d.StartsWith(name + "@", StringComparison.Ordinal))?.Split('@')[1];
        }

        return digest ?? throw new InfrastructureException($"pushed {reference} but the engine reported no digest.");
    }

    /// <summary>Pulls an image by tag or digest (<c>registry/name@sha256:…</c>).</summary>
    public async Task PullAsync(string reference, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var progress = new Progress<JSONMessage>(m =>
        {
            if (m.Error?.Message is { Length: > 0 } error)
            {
                errors.Add(error);
            }
        });
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var parameters = at > 0
            ? new ImagesCreateParameters { FromImage = reference }
            : new ImagesCreateParameters { FromImage = SplitTag(reference).Name, Tag = SplitTag(reference).Tag };
        await client.Images.CreateImageAsync(parameters, new AuthConfig(), progress, cancellationToken);
        await Task.Delay(200, cancellationToken);
        if (errors.Count > 0)
        {
            throw new InfrastructureException($"pulling {reference} failed: {errors[^1]}");
        }
    }

    public async Task RemoveImageAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            await client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true }, cancellationToken);
        }
        catch (DockerImageNotFoundException)
        {
            // Already gone: removing is idempotent.
        }
    }

    /// <summary>Starts a container with host networking (the engine runs without a bridge; traffic stays on 127.0.0.1).</summary>
    public async Task<string> RunAsync(string image, IReadOnlyDictionary<string, string> environment, string name, CancellationToken cancellationToken)
    {
        var created = await client.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Image = image,
                Name = name,
                Env = [.. environment.Select(p => $"{p.Key}={p.Value}")],
                HostConfig = new HostConfig { NetworkMode = "host" },
            },
            cancellationToken);
        await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
        return created.ID;
    }

    public Task<ContainerInspectResponse> InspectContainerAsync(string id, CancellationToken cancellationToken) =>
        client.Containers.InspectContainerAsync(id, cancellationToken);

    /// <summary>The container's output so far (stdout and stderr), for error messages.</summary>
    public async Task<string> LogsAsync(string id, CancellationToken cancellationToken)
    {
        using var stream = await client.Containers.GetContainerLogsAsync(id, tty: false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = "50" }, cancellationToken);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken);
        return stdout + stderr;
    }

    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone.
        }
    }

    public void Dispose() => client.Dispose();

    /// <summary><c>127.0.0.1:5000/bank-marketing:v1</c> → (<c>127.0.0.1:5000/bank-marketing</c>, <c>v1</c>); the registry port is not a tag.</summary>
    public static (string Name, string Tag) SplitTag(string reference)
    {
        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > slash ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }

    internal static string Format(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
