namespace Tollgate.Tracking.Entities;

/// <summary>A version of a registered model.</summary>
/// <param name="Name">Registered model name.</param>
/// <param name="Version">Version number as MLflow returns it (a string on the wire, an integer in the file store).</param>
/// <param name="RunId">The MLflow run that produced it.</param>
/// <param name="Source">Where the model's files are, e.g. <c>runs:/&lt;run&gt;/model</c>.</param>
/// <param name="Description">Free text.</param>
/// <param name="Tags">Version tags (Tollgate run id, threshold, image digest).</param>
/// <param name="Aliases">Aliases pointing at this version (e.g. <c>champion</c>), when the backend reports them.</param>
public sealed record ModelVersionInfo(
    string Name,
    string Version,
    string? RunId,
    string Source,
    string? Description,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Aliases);
