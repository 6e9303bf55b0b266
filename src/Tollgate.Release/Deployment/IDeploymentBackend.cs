namespace Tollgate.Release.Deployment;

/// <summary>
/// Where model versions run. The release logic (shadow, promote, rollback, crash recovery) is written once against
/// this interface; Docker containers and local processes implement it today, and a Kubernetes backend (a Deployment
/// plus a Service per version, <see cref="Deployment.Url"/> the Service address) fits the same calls.
/// Every call is idempotent or safe to repeat: a recovering pipeline may call them again after a crash.
/// </summary>
public interface IDeploymentBackend
{
    /// <summary><c>docker</c>, <c>local</c>, … — recorded in deployments and reports.</summary>
    string Name { get; }

    /// <summary>Starts a version and returns at once; readiness is probed by the caller over HTTP.</summary>
    Task<Deployment> StartAsync(DeploymentRequest request, CancellationToken cancellationToken);

    /// <summary>Every deployment of <paramref name="model"/> this backend knows, running or not.</summary>
    Task<IReadOnlyList<Deployment>> ListAsync(string model, CancellationToken cancellationToken);

    /// <summary>Whether it runs, how often it restarted, how much memory it holds.</summary>
    Task<DeploymentStatus> InspectAsync(Deployment deployment, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the CPU priority of a running deployment (see <see cref="DeploymentPriority"/>); false when the backend could
    /// not (raising a local process back to normal needs root): the caller then starts a fresh deployment instead.
    /// </summary>
    Task<bool> SetPriorityAsync(Deployment deployment, DeploymentPriority priority, CancellationToken cancellationToken);

    /// <summary>Stops gracefully within <paramref name="grace"/>, then forcibly, and forgets it. Stopping a stopped one is a no-op.</summary>
    Task StopAsync(Deployment deployment, TimeSpan grace, CancellationToken cancellationToken);
}
