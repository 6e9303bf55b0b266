namespace Tollgate.Release.Docker;

/// <summary>
/// Where the Docker engine is: <c>DOCKER_HOST</c> (<c>unix:///path</c> or <c>tcp://127.0.0.1:2375</c>), else the default
/// socket <c>unix:///var/run/docker.sock</c>.
/// </summary>
public static class DockerEndpoint
{
    public const string DefaultHost = "unix:///var/run/docker.sock";

    public static Uri Resolve(Func<string, string?>? environment = null)
    {
        var host = (environment ?? Environment.GetEnvironmentVariable)("DOCKER_HOST");
        return new Uri(string.IsNullOrWhiteSpace(host) ? DefaultHost : host.Trim());
    }

    /// <summary>What to tell a user whose engine did not answer.</summary>
    public static string Advice(Uri endpoint) =>
        $"no Docker engine answers at {endpoint}. Start one (as root: build/infra/start-services.sh starts dockerd and the registry), " +
        "or point Tollgate at a running engine with DOCKER_HOST (e.g. DOCKER_HOST=unix:///run/user/1000/docker.sock or tcp://127.0.0.1:2375); " +
        "with deploy.backend: local in model.yaml, build-image packages a release folder instead of an image.";
}
