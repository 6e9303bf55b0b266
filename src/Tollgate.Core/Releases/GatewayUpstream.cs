namespace Tollgate.Core.Releases;

/// <summary>One upstream of the front door: a running deployment of one model version.</summary>
/// <param name="Version">Model version it serves.</param>
/// <param name="Url">Base address, e.g. <c>http://127.0.0.1:18081</c>.</param>
/// <param name="Deployment">Backend name of the deployment (container or process record), for operators.</param>
public sealed record GatewayUpstream(string Version, string Url, string Deployment);
