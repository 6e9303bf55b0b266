using System.Net.Sockets;
using Tollgate.Core.Errors;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Core.Specs;
using Tollgate.Release.Configuration;
using Tollgate.Release.Images;

namespace Tollgate.Release.Deployment;

/// <summary>
/// Chooses the deployment backend from <c>deploy.backend</c>: <c>local</c>, <c>docker</c>, or <c>auto</c> — Docker when an
/// engine answers on <c>DOCKER_HOST</c> (default <c>unix:///var/run/docker.sock</c>) and images are built (a registry is
/// configured) or the model already runs in containers, else local processes, saying so.
/// </summary>
public static class BackendSelector
{
    public static string DockerSocket =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { } host && host.StartsWith("unix://", StringComparison.Ordinal)
            ? host["unix://".Length..]
            : "/var/run/docker.sock";

    /// <param name="deploy">The deploy section.</param>
    /// <param name="store">The release store.</param>
    /// <param name="log">Says which backend was chosen and why.</param>
    /// <param name="time">Clock.</param>
    /// <param name="spec">The model spec: with <c>auto</c>, Docker is chosen only when Build-Image would build an image too
    /// (a registry configured: <c>TOLLGATE_REGISTRY</c> or <c>image.registry</c>), or when the engine already runs this
    /// model's containers — so the release stages never look for images Build-Image did not make, and a rollback never
    /// starts processes beside a production that runs in containers.</param>
    public static IDeploymentBackend Select(DeployOptions deploy, ReleaseStore store, IStageLog log, TimeProvider time, ModelSpec? spec = null)
    {
        var local = new LocalProcessBackend(store.Root, LocalProcessBackend.DefaultServer, time);
        switch (deploy.Backend)
        {
            case "local":
                log.Info("deployment backend: local processes (deploy.backend: local)");
                return local;
            case "docker":
                if (!EngineAnswers())
                {
                    throw new InfrastructureException(
                        $"deploy.backend is docker but no Docker engine answers at unix://{DockerSocket}. Start dockerd, point DOCKER_HOST at an engine, or set deploy.backend: local.");
                }

                log.Info($"deployment backend: Docker engine at unix://{DockerSocket} (deploy.backend: docker)");
                return DockerBackendFactory.Create(store, time);
            default:
                if (!EngineAnswers() || !DockerBackendFactory.IsAvailable)
                {
                    log.Info($"deployment backend: local processes — no Docker engine at unix://{DockerSocket} (deploy.backend: auto); model servers run from versioned release folders");
                    return local;
                }

                var registry = spec is null ? null : BuildImageOptions.FromSpec(spec, Environment.GetEnvironmentVariable, new SpecErrors()).Registry;
                if (spec is null || registry is not null)
                {
                    log.Info($"deployment backend: Docker engine at unix://{DockerSocket}{(registry is null ? string.Empty : $", images from {registry}")} (deploy.backend: auto)");
                    return DockerBackendFactory.Create(store, time);
                }

                var docker = DockerBackendFactory.Create(store, time);
                if (docker.ListAsync(spec.Name, CancellationToken.None).GetAwaiter().GetResult().Count > 0)
                {
                    log.Info($"deployment backend: Docker engine at unix://{DockerSocket} — {spec.Name} already runs in containers there (deploy.backend: auto)");
                    return docker;
                }

                (docker as IDisposable)?.Dispose();
                log.Info($"deployment backend: local processes — a Docker engine answers at unix://{DockerSocket} but no registry is configured (TOLLGATE_REGISTRY or image.registry; deploy.backend: auto), so Build-Image packages release folders; model servers run from them");
                return local;
        }
    }

    public static bool EngineAnswers()
    {
        if (!File.Exists(DockerSocket))
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(DockerSocket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
