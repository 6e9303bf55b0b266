namespace Tollgate.Release.Deployment;

/// <summary>
/// Labels the Docker backend puts on every container it starts. They are the backend's whole state: listing filters on
/// <see cref="Model"/>, and the rest rebuilds the <see cref="Deployment"/> — so any runner talking to the same engine
/// finds, inspects and stops what another runner started, with no file of its own.
/// </summary>
public static class DockerLabels
{
    /// <summary>Model name; <c>ListAsync</c> filters on it.</summary>
    public const string Model = "tollgate.model";

    /// <summary>Model version.</summary>
    public const string Version = "tollgate.version";

    /// <summary><c>production</c>, <c>shadow</c>, <c>promote</c>, <c>rollback</c>: why it was started (for people; the front door's routes say what it serves now).</summary>
    public const string Role = "tollgate.role";

    /// <summary>Port on 127.0.0.1 the server binds (host networking).</summary>
    public const string Port = "tollgate.port";

    /// <summary>The image reference the container was started from, as requested (by digest when known).</summary>
    public const string Image = "tollgate.image";
}
