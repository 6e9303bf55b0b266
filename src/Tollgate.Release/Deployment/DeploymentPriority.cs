namespace Tollgate.Release.Deployment;

/// <summary>
/// CPU priority of a deployment. A shadow runs <see cref="Low"/> so that on a shared host it only ever uses CPU that
/// production leaves idle (mirroring must not slow production down); whatever becomes production runs
/// <see cref="Normal"/>. Local processes: nice 10 on every thread; Docker: cpu-shares 256 instead of 1024.
/// </summary>
public enum DeploymentPriority
{
    Normal,
    Low,
}
