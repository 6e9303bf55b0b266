using Tollgate.Core.Errors;
using Tollgate.Core.Releases;

namespace Tollgate.Release.Deployment;

/// <summary>
/// Creates the Docker deployment backend. Until it lands (issue 7, step 4), <c>auto</c> uses local processes and an
/// explicit <c>deploy.backend: docker</c> fails with exit 4 and says so — never a silent fallback.
/// </summary>
public static class DockerBackendFactory
{
    public static bool IsAvailable => false;

    public static IDeploymentBackend Create(ReleaseStore store, TimeProvider time) =>
        throw new InfrastructureException(
            "the Docker deployment backend is not part of this build yet; set deploy.backend: local (or auto) in model.yaml to run model servers as local processes.");
}
