using System.Text.Json.Nodes;
using Tollgate.Core.Stages;
using Tollgate.Release.Docker;
using Tollgate.Release.Images;
using Tollgate.Release.Pruning;
using Tollgate.Testing;

namespace Tollgate.Release.Tests.Deployment;

/// <summary>
/// Many released versions from one real image, cheaply: per version a thin image <c>FROM</c> the Build-Image fixture's
/// real image (real server, real model) that only replaces <c>candidate.json</c> with one naming that version, tagged
/// <c>version</c> in a repository of its own and pushed. Each has its own digest and answers its own version on
/// <c>/v1/metadata</c>, as separately trained releases would; building one takes about a second instead of a training
/// and a full build. Disposing deletes the repository's manifests from the registry and its tags from the engine.
/// </summary>
public sealed class VersionedImages : IAsyncDisposable
{
    private readonly BuildImageResult baseImage;
    private readonly string candidateDir;
    private readonly List<VersionedImage> built = [];

    public VersionedImages(BuildImageResult baseImage, string candidateDir)
    {
        this.baseImage = baseImage;
        this.candidateDir = candidateDir;
        Repository = $"tollgate-test-{Guid.NewGuid().ToString("N")[..10]}";
    }

    public string Registry => Infrastructure.Registry;

    /// <summary>The test's own repository, so pruning it never touches another test's images.</summary>
    public string Repository { get; }

    /// <param name="version">The version the image's candidate.json names.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="brokenModel">Replace model.zip with these bytes: a candidate whose server cannot start.</param>
    public async Task<VersionedImage> BuildAsync(string version, CancellationToken ct, string? brokenModel = null)
    {
        var candidate = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(candidateDir, "candidate.json"), ct))!.AsObject();
        candidate["version"] = version;
        candidate["runId"] = version;
        var reference = $"{Registry}/{Repository}:{version}";
        var dockerfile =
            $"FROM {baseImage.ReferenceByDigest}\n" +
            $"COPY candidate.json {(brokenModel is null ? string.Empty : "model.zip ")}{ImageDockerfile.ModelDir}/\n" +
            $"ENV TOLLGATE_SERVING_IMAGE=\"{reference}\"\n" +
            $"LABEL io.tollgate.model.version=\"{version}\"\n";
        using var context = new MemoryStream();
        var files = new Dictionary<string, string> { ["Dockerfile"] = dockerfile, ["candidate.json"] = candidate.ToJsonString() };
        if (brokenModel is not null)
        {
            files["model.zip"] = brokenModel;
        }

        BuildContext.WriteTar(new Dictionary<string, string>(), files, context);
        context.Position = 0;
        using var engine = await DockerEngine.ConnectAsync(DockerEndpoint.Resolve(), TimeSpan.FromSeconds(5), ct);
        await engine.BuildAsync(context, reference, NullStageLog.Instance, ct);
        var digest = await engine.PushAsync(reference, ct);
        var image = new VersionedImage(version, reference, digest, $"{Registry}/{Repository}@{digest}", candidate);
        built.Add(image);
        return image;
    }

    public async ValueTask DisposeAsync()
    {
        using var registry = new RegistryClient(Registry);
        using var engine = await DockerEngine.ConnectAsync(DockerEndpoint.Resolve(), TimeSpan.FromSeconds(5), CancellationToken.None);
        foreach (var image in built)
        {
            try
            {
                await registry.DeleteAsync(Repository, image.Digest, CancellationToken.None);
            }
            catch (Exception ex) when (ex is HttpRequestException or Core.Errors.InfrastructureException)
            {
                // Already deleted by the prune under test.
            }

            await engine.RemoveImageAsync(image.Reference, CancellationToken.None);
            await engine.RemoveImageAsync(image.ReferenceByDigest, CancellationToken.None);
        }
    }
}
