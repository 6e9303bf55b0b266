namespace Tollgate.Release.Deployment;

/// <summary>A started model version.</summary>
/// <param name="Name">Unique name (container name, process record name).</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Url">Base address, <c>http://127.0.0.1:PORT</c>.</param>
/// <param name="Port">The port.</param>
/// <param name="Backend">Backend name.</param>
/// <param name="Handle">Backend handle: container id or process id.</param>
/// <param name="StartedAt">When it was started.</param>
/// <param name="Log">Where its output goes (a file, or <c>docker logs NAME</c>).</param>
public sealed record Deployment(string Name, string Model, string Version, string Url, int Port, string Backend, string Handle, DateTimeOffset StartedAt, string Log);
