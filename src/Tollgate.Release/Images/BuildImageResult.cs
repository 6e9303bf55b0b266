namespace Tollgate.Release.Images;

/// <summary>
/// What Build-Image produced, written to <c>build-image/image.json</c> and into report.json's details.
/// For an image: reference, digest and layers; for the local-process backend: the release folder.
/// </summary>
public sealed record BuildImageResult
{
    public const string FileName = "image.json";

    /// <summary><c>image</c> or <c>release-folder</c>.</summary>
    public required string Kind { get; init; }

    public required string Model { get; init; }

    public required string Version { get; init; }

    /// <summary><c>registry/model:version</c>.</summary>
    public string? Reference { get; init; }

    /// <summary>Manifest digest in the registry, <c>sha256:…</c>.</summary>
    public string? Digest { get; init; }

    /// <summary><c>registry/model@sha256:…</c>: pulls exactly this build.</summary>
    public string? ReferenceByDigest { get; init; }

    public string? ImageId { get; init; }

    public string? BaseImage { get; init; }

    public long? SizeBytes { get; init; }

    /// <summary>Layer digest of the server (second to last); equal across retrains when the server is unchanged.</summary>
    public string? ServerLayer { get; init; }

    /// <summary>Layer digest of the model files (last layer).</summary>
    public string? ModelLayer { get; init; }

    /// <summary>Dockerfile steps the engine took from its cache.</summary>
    public int? CachedSteps { get; init; }

    public double? BuildSeconds { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The versioned release folder (local-process backend).</summary>
    public string? ReleaseFolder { get; init; }
}
