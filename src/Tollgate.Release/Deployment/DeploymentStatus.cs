namespace Tollgate.Release.Deployment;

/// <summary>Runtime state of a deployment.</summary>
/// <param name="Running">True while the process or container runs.</param>
/// <param name="Restarts">Restarts since start (a crash loop shows here).</param>
/// <param name="MemoryBytes">Resident memory, when the backend can tell.</param>
public sealed record DeploymentStatus(bool Running, int Restarts, long? MemoryBytes);
