namespace Tollgate.Release.Deployment;

/// <summary>What to start.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="ReleaseDir">Versioned release folder (model.zip, candidate.json, contract) — the local backend serves it.</param>
/// <param name="Image">Image reference (by digest when known) — the Docker backend runs it.</param>
/// <param name="Port">Port on 127.0.0.1 to bind.</param>
/// <param name="Role"><c>production</c>, <c>shadow</c> or <c>next</c>, for names and logs only.</param>
/// <param name="ServingLogDir">Where the server writes its serving log (the replay source of the next shadow run).</param>
public sealed record DeploymentRequest(string Model, string Version, string ReleaseDir, string? Image, int Port, string Role, string? ServingLogDir);
