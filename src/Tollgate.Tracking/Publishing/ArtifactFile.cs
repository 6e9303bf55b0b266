namespace Tollgate.Tracking.Publishing;

/// <summary>A local file and the artifact path it is logged under (forward slashes, relative to the run's artifact root).</summary>
public sealed record ArtifactFile(string LocalPath, string ArtifactPath);
