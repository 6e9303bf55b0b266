namespace Tollgate.Release.Deployment;

/// <summary>
/// Labels the Docker backend puts on every container it starts. They are the backend's whole state: listing filters on
/// <see cref="Model"/> and <see cref="Store"/>, and the rest rebuilds the <see cref="Deployment"/> — so any runner talking to the same engine
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

    /// <summary>
    /// The release store the container belongs to (its full path): one engine may serve several stores — CI and a
    /// developer's checkout, parallel test runs — that release the same model, and one must never list, reuse or stop
    /// the other's containers. Runners that share a store mount it at the same path (<c>TOLLGATE_RELEASE_STORE</c>).
    /// </summary>
    public const string Store = "tollgate.store";

    /// <summary>The image reference the container was started from, as requested (by digest when known).</summary>
    public const string Image = "tollgate.image";
}
