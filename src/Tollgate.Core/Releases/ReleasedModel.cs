namespace Tollgate.Core.Releases;

/// <summary>A model version that has been (or is being) released.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Release version, e.g. <c>20261127T0730Z-1a2b</c>; sorts by time.</param>
/// <param name="RunId">The run that produced it.</param>
/// <param name="ModelDir">Absolute path of the released candidate folder (model.zip, candidate.json, threshold.json).</param>
/// <param name="ImageDigest">Image digest when it was shipped as a container image.</param>
public sealed record ReleasedModel(string Model, string Version, string RunId, string ModelDir, string? ImageDigest = null);
