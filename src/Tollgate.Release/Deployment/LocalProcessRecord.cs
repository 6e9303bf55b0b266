namespace Tollgate.Release.Deployment;

/// <summary>The file the local backend keeps per deployment: the deployment and the release folder it serves (the pid check's marker).</summary>
public sealed record LocalProcessRecord(Deployment Deployment, string ReleaseDir);
