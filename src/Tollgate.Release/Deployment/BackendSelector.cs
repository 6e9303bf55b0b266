using System.Net.Sockets;
using Tollgate.Core.Errors;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;

namespace Tollgate.Release.Deployment;

/// <summary>
/// Chooses the deployment backend from <c>deploy.backend</c>: <c>local</c>, <c>docker</c>, or <c>auto</c> — Docker when an
/// engine answers on <c>DOCKER_HOST</c> (default <c>unix:///var/run/docker.sock</c>), else local processes, saying so.
/// </summary>
public static class BackendSelector
{
    public static string DockerSocket =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { } host && host.StartsWith("unix://", StringComparison.Ordinal)
            ? host["unix://".Length..]
            : "/var/run/docker.sock";

    public static IDeploymentBackend Select(DeployOptions deploy, ReleaseStore store, IStageLog log, TimeProvider time)
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

                return DockerBackendFactory.Create(store, time);
            default:
                if (EngineAnswers() && DockerBackendFactory.IsAvailable)
                {
                    log.Info($"deployment backend: Docker engine at unix://{DockerSocket} (deploy.backend: auto)");
                    return DockerBackendFactory.Create(store, time);
                }

                log.Info(EngineAnswers()
                    ? "deployment backend: local processes — this build has no Docker deployment backend yet (deploy.backend: auto); model servers run from versioned release folders"
                    : $"deployment backend: local processes — no Docker engine at unix://{DockerSocket} (deploy.backend: auto); model servers run from versioned release folders");
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
