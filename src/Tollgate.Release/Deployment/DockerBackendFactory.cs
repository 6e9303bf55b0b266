using Tollgate.Core.Releases;
using Tollgate.Release.Docker;

namespace Tollgate.Release.Deployment;

/// <summary>Creates the Docker deployment backend for the engine at <c>DOCKER_HOST</c> (default <c>unix:///var/run/docker.sock</c>).</summary>
public static class DockerBackendFactory
{
    /// <summary>This build has the Docker backend; whether an engine answers is <see cref="BackendSelector.EngineAnswers"/>'s question.</summary>
    public static bool IsAvailable => true;

    public static IDeploymentBackend Create(ReleaseStore store, TimeProvider time) => new DockerBackend(DockerEndpoint.Resolve(), store.Root, time);
}
