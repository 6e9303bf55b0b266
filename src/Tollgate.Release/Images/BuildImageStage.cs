using System.Diagnostics;
using System.Text.Json.Nodes;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Release.Docker;
using Tollgate.Release.Promotion;

namespace Tollgate.Release.Images;

/// <summary>
/// Build-Image: packages the release candidate with the model server. With a Docker engine: a generated Dockerfile
/// (kept in <c>build-image/</c>) is built through the Engine API, tagged <c>registry/model:version</c>, pushed, and its
/// digest recorded. Without one, on the local-process backend (<c>deploy.backend: local</c>, or <c>auto</c> with no
/// engine), the same published server and the candidate go into a versioned release folder instead. An explicit
/// <c>docker</c> backend with no engine is an infrastructure failure (exit 4) that says how to set DOCKER_HOST.
/// </summary>
public static class BuildImageStage
{
    public static async Task<StageReport> RunAsync(BuildImageRequest request, CancellationToken cancellationToken)
    {
        var run = request.Run;
        var candidate = CandidateInfo.Read(run.CandidateDir);
        var candidateJson = (JsonNode.Parse(File.ReadAllText(Path.Combine(run.CandidateDir, CandidateInfo.FileName))) as JsonObject)!;
        var dir = run.StageDir(StageName.BuildImage);
        var options = request.Options;
        var endpoint = DockerEndpoint.Resolve(request.Environment);

        DockerEngine? engine = null;
        if (options.Backend != "local")
        {
            try
            {
                engine = await DockerEngine.ConnectAsync(endpoint, options.EngineTimeout, cancellationToken);
            }
            catch (InfrastructureException) when (options.Backend == "auto")
            {
                request.Log.Warning($"no Docker engine at {endpoint} (deploy.backend: auto): packaging a release folder for the local-process backend instead of an image");
            }

            // An image nobody can pull is no release: with auto and no registry configured, the embedded default
            // (a release folder for local processes) applies, as it does without an engine.
            if (engine is not null && options.Backend == "auto" && options.Registry is null)
            {
                request.Log.Warning("no registry configured (TOLLGATE_REGISTRY or image.registry; deploy.backend: auto): packaging a release folder for the local-process backend instead of an image");
                engine.Dispose();
                engine = null;
            }
        }

        using (engine)
        {
            var started = request.Time.GetUtcNow();
            var result = engine is null
                ? await PackageFolderAsync(request, candidate, cancellationToken)
                : await BuildImageAsync(request, engine, candidate, candidateJson, dir, cancellationToken);
            TollgateJson.WriteFile(Path.Combine(dir, BuildImageResult.FileName), result);
            return Report(request, result, engine is null, started);
        }
    }

    private static async Task<BuildImageResult> BuildImageAsync(
        BuildImageRequest request, DockerEngine engine, CandidateInfo candidate, JsonObject candidateJson, string dir, CancellationToken cancellationToken)
    {
        var options = request.Options;
        var registry = options.Registry ?? throw new ConfigurationException(
            $"{request.Spec.SpecPath}: no registry to push to. Set TOLLGATE_REGISTRY (e.g. 127.0.0.1:5000) or image.registry in model.yaml.");
        var repository = (options.Repository ?? candidate.Model).ToLowerInvariant();
        var tag = SafeTag(candidate.Version);
        var reference = $"{registry}/{repository}:{tag}";
        await EnsureBaseImageAsync(engine, options.BaseImage, cancellationToken);

        var server = options.ServerPublishDir
            ?? await ServerPublisher.PublishAsync(request.RepoRoot, ServerPublisher.DefaultOutput(request.RepoRoot), request.Log, cancellationToken);
        var modelDir = StageModelFolder(request, dir, candidate);
        var manifest = request.Run.Manifest;
        var labels = ImageLabels.Build(manifest, candidateJson, candidate.Version, Source(request), request.Time.GetUtcNow());
        var dockerfile = ImageDockerfile.Render(
            options.BaseImage, options.Port, reference, labels, $"{candidate.Model} {candidate.Version} (run {candidate.RunId})");
        AtomicFile.WriteAllText(Path.Combine(dir, "Dockerfile"), dockerfile);

        var watch = Stopwatch.StartNew();
        var tarPath = Path.Combine(dir, $".context.{Environment.ProcessId}.tar");
        string imageId;
        int cached;
        try
        {
            await using (var tar = File.Create(tarPath))
            {
                BuildContext.WriteTar(
                    new Dictionary<string, string> { [server] = "server", [modelDir] = "model" },
                    new Dictionary<string, string> { ["Dockerfile"] = dockerfile },
                    tar);
            }

            request.Log.Info($"building {reference} from {options.BaseImage} on {engine.Endpoint}");
            await using var context = File.OpenRead(tarPath);
            (imageId, cached) = await engine.BuildAsync(context, reference, request.Log, cancellationToken);
        }
        catch (DockerBuildException ex)
        {
            throw new InvalidOperationException($"docker build of {reference} failed: {ex.Message} (Dockerfile: {Path.Combine(dir, "Dockerfile")})", ex);
        }
        finally
        {
            File.Delete(tarPath);
        }

        var buildSeconds = watch.Elapsed.TotalSeconds;
        request.Log.Info($"built {imageId[..Math.Min(19, imageId.Length)]} in {buildSeconds:0.0} s ({cached} steps from cache); pushing to {registry}");
        var digest = await engine.PushAsync(reference, cancellationToken);
        var image = await engine.InspectImageAsync(reference, cancellationToken);
        var layers = image.RootFS?.Layers ?? [];
        request.Log.Info($"pushed {reference}@{digest} ({DockerEngine.Format(image.Size)})");
        return new BuildImageResult
        {
            Kind = "image",
            Model = candidate.Model,
            Version = candidate.Version,
            Reference = reference,
            Digest = digest,
            ReferenceByDigest = $"{registry}/{repository}@{digest}",
            ImageId = imageId,
            BaseImage = options.BaseImage,
            SizeBytes = image.Size,
            ServerLayer = layers.Count >= 2 ? layers[^2] : null,
            ModelLayer = layers.Count >= 1 ? layers[^1] : null,
            CachedSteps = cached,
            BuildSeconds = Math.Round(buildSeconds, 2),
            Labels = labels,
        };
    }

    private static async Task<BuildImageResult> PackageFolderAsync(BuildImageRequest request, CandidateInfo candidate, CancellationToken cancellationToken)
    {
        var contract = Path.Combine(request.RepoRoot, request.Spec.ContractPath);
        var folder = ReleaseFolders.Materialize(request.Store, candidate.Model, candidate.Version, request.Run.CandidateDir, contract);
        var serverTarget = Path.Combine(folder, "server");
        if (!File.Exists(Path.Combine(serverTarget, ServerPublisher.Executable)))
        {
            var server = request.Options.ServerPublishDir
                ?? await ServerPublisher.PublishAsync(request.RepoRoot, ServerPublisher.DefaultOutput(request.RepoRoot), request.Log, cancellationToken);
            CopyTree(server, serverTarget + ".tmp");
            Directory.Move(serverTarget + ".tmp", serverTarget);
        }

        request.Log.Info($"release folder {folder} (server/ + model files): start it with server/{ServerPublisher.Executable} --candidate {folder}");
        return new BuildImageResult { Kind = "release-folder", Model = candidate.Model, Version = candidate.Version, ReleaseFolder = folder };
    }

    private static StageReport Report(BuildImageRequest request, BuildImageResult result, bool folder, DateTimeOffset started)
    {
        var checks = new List<CheckResult>();
        if (folder)
        {
            checks.Add(new CheckResult("build-image.release-folder", Severity.Error, CheckStatus.Passed, $"packaged the server and model {result.Version} as {result.ReleaseFolder}."));
        }
        else
        {
            checks.Add(new CheckResult("build-image.pushed", Severity.Error, result.Digest is null ? CheckStatus.Failed : CheckStatus.Passed, $"pushed {result.Reference} with digest {result.Digest}.", Observed: result.Digest));
            checks.Add(new CheckResult(
                "build-image.server-layer-cached",
                Severity.Info,
                result.CachedSteps >= 2 ? CheckStatus.Passed : CheckStatus.Skipped,
                result.CachedSteps >= 2 ? "the server layer came from the engine's cache; only the model layer was rebuilt." : "first build of this server on this engine: the server layer was built.",
                Observed: $"{result.CachedSteps} cached steps"));
        }

        var details = JsonNode.Parse(TollgateJson.Serialize(result))!.AsObject();
        var metrics = new Dictionary<string, double>();
        if (result.SizeBytes is { } size)
        {
            metrics["imageSizeBytes"] = size;
        }

        if (result.BuildSeconds is { } seconds)
        {
            metrics["buildSeconds"] = seconds;
        }

        return new StageReport
        {
            Stage = StageName.BuildImage,
            Model = request.Spec.Name,
            Outcome = StageReport.OutcomeOf(checks),
            StartedAt = started,
            FinishedAt = request.Time.GetUtcNow(),
            Summary = folder ? $"release folder {result.ReleaseFolder}" : $"{result.ReferenceByDigest} ({DockerEngine.Format(result.SizeBytes ?? 0)})",
            Checks = checks,
            Metrics = metrics,
            Outputs = folder ? [BuildImageResult.FileName] : ["Dockerfile", "model/", BuildImageResult.FileName],
            Details = details,
        };
    }

    /// <summary>The model layer's files: the candidate, its data contract and run.json, copied into <c>build-image/model/</c>.</summary>
    private static string StageModelFolder(BuildImageRequest request, string dir, CandidateInfo candidate)
    {
        var modelDir = Path.Combine(dir, "model");
        if (Directory.Exists(modelDir))
        {
            Directory.Delete(modelDir, recursive: true);
        }

        Directory.CreateDirectory(modelDir);
        foreach (var file in Directory.GetFiles(candidate.Dir))
        {
            File.Copy(file, Path.Combine(modelDir, Path.GetFileName(file)));
        }

        var contract = Path.Combine(request.RepoRoot, request.Spec.ContractPath);
        if (!File.Exists(contract))
        {
            throw new ConfigurationException($"{request.Spec.SpecPath}: data contract {request.Spec.ContractPath} not found; the server validates requests with it.");
        }

        File.Copy(contract, Path.Combine(modelDir, "contract.odcs.yaml"), overwrite: true);
        File.Copy(Path.Combine(request.Run.Root, RunManifest.FileName), Path.Combine(modelDir, RunManifest.FileName), overwrite: true);
        return modelDir;
    }

    private static async Task EnsureBaseImageAsync(DockerEngine engine, string baseImage, CancellationToken cancellationToken)
    {
        if (await engine.ImageExistsAsync(baseImage, cancellationToken))
        {
            return;
        }

        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(60));
            await engine.PullAsync(baseImage, cts.Token);
        }
        catch (Exception ex) when (ex is InfrastructureException or OperationCanceledException or global::Docker.DotNet.DockerApiException or HttpRequestException)
        {
            throw new ConfigurationException(
                $"base image '{baseImage}' is not in the engine and could not be pulled ({ex.Message}). Offline: build it with build/infra/start-services.sh " +
                "and set TOLLGATE_BASE_IMAGE=tollgate/base-offline:bookworm (or image.base in model.yaml).");
        }
    }

    /// <summary>Where the code came from, for the OCI source label: CI's project URL or git's origin, without credentials.</summary>
    private static string Source(BuildImageRequest request)
    {
        var url = request.Environment("CI_PROJECT_URL") ?? GitOrigin(request.RepoRoot) ?? "unknown";
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString()
            : url;
    }

    private static string? GitOrigin(string repoRoot)
    {
        var config = Path.Combine(repoRoot, ".git", "config");
        if (!File.Exists(config))
        {
            return null;
        }

        var inOrigin = false;
        foreach (var line in File.ReadLines(config).Select(l => l.Trim()))
        {
            if (line.StartsWith('['))
            {
                inOrigin = line == "[remote \"origin\"]";
            }
            else if (inOrigin && line.StartsWith("url", StringComparison.Ordinal) && line.Contains('=', StringComparison.Ordinal))
            {
                return line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return null;
    }

    private static string SafeTag(string version)
    {
        var chars = version.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-').ToArray();
        var tag = new string(chars).TrimStart('.', '-');
        return tag.Length == 0 ? "latest" : tag[..Math.Min(128, tag.Length)];
    }

    private static void CopyTree(string source, string target)
    {
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        foreach (var dir in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, dir)));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            File.Copy(file, to);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(to, File.GetUnixFileMode(file));
            }
        }
    }
}
