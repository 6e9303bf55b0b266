using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using Tollgate.Core.Releases;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Release.Deployment;
using Tollgate.Release.Hosting;
using Tollgate.Release.Promotion;

namespace Tollgate.Release.Pruning;

/// <summary>
/// Prune-Images: keeps the newest <c>release.keepImages</c> versions (default 7) — always including production and the
/// rollback target — in the registry (tags deleted by manifest digest), on the engine and as release folders. Every
/// deletion is logged and listed in the report. Idempotent: a second run finds nothing to delete.
/// </summary>
public static class PruneImagesStage
{
    public static async Task<StageReport> RunAsync(ReleaseEnvironment env, RunDirectory? run, IStageLog log, CancellationToken ct)
    {
        using var held = ReleaseLock.Acquire(env.ModelRoot, $"prune-images {env.Spec.Name}");
        await env.Switcher.RecoverAsync(ct);
        var lineage = new ReleaseLineage(new ReleaseHistory(env.ModelRoot).ReadAll());
        var production = env.Store.TryGetProduction(env.Spec.Name)?.Version ?? lineage.Production?.Version;
        var rollbackTarget = lineage.RollbackTarget?.Version;
        var policy = new RetentionPolicy(env.Release.KeepImages);
        var checks = new List<CheckResult>();
        var deleted = new JsonArray();
        var kept = new JsonArray();

        // Whatever runs (production, shadow) keeps its folder even if the policy would drop it.
        var runningVersions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in await env.Backend.ListAsync(env.Spec.Name, ct))
        {
            if ((await env.Backend.InspectAsync(d, ct)).Running)
            {
                runningVersions.Add(d.Version);
            }
        }

        var folders = policy.Decide(ReleaseFolders.List(env.Store, env.Spec.Name), production, rollbackTarget);
        foreach (var (version, why) in folders.Delete)
        {
            if (runningVersions.Contains(version))
            {
                kept.Add(Entry("release-folder", version, "running"));
                continue;
            }

            Directory.Delete(ReleaseFolders.PathOf(env.Store, env.Spec.Name, version), recursive: true);
            log.Info($"deleted release folder {version}: {why}");
            deleted.Add(Entry("release-folder", version, why));
        }

        foreach (var (version, why) in folders.Keep)
        {
            kept.Add(Entry("release-folder", version, why));
        }

        var image = ImageReference.TryParse(run is null ? null : BuildImageInfo.TryRead(run)?.Reference);
        if (image is not null)
        {
            await PruneRegistryAsync(image, policy, production, rollbackTarget, deleted, kept, log, ct);
            await PruneEngineAsync(image, deleted, log, ct);
        }
        else
        {
            checks.Add(new CheckResult("prune.registry", Severity.Info, CheckStatus.Skipped, "no image was built for this run (local-process backend): only release folders were pruned"));
        }

        checks.Add(new CheckResult("prune.protected", Severity.Error, CheckStatus.Passed,
            $"production {production ?? "none"} and rollback target {rollbackTarget ?? "none"} kept"));
        return new StageReport
        {
            Stage = StageName.PruneImages,
            Model = env.Spec.Name,
            Outcome = StageOutcome.Passed,
            StartedAt = default,
            FinishedAt = default,
            Summary = deleted.Count == 0
                ? $"nothing to prune: {folders.Keep.Count} versions kept (keep {policy.Keep})"
                : $"deleted {deleted.Count} old image(s)/release folder(s); kept the newest {policy.Keep} incl. production {production ?? "none"} and rollback target {rollbackTarget ?? "none"}",
            Checks = checks,
            Metrics = new Dictionary<string, double> { ["deleted"] = deleted.Count, ["keep"] = policy.Keep },
            Details = new JsonObject { ["deleted"] = deleted, ["kept"] = kept, ["image"] = image is null ? null : $"{image.Registry}/{image.Repository}" },
        };
    }

    private static async Task PruneRegistryAsync(ImageReference image, RetentionPolicy policy, string? production, string? rollbackTarget, JsonArray deleted, JsonArray kept, IStageLog log, CancellationToken ct)
    {
        using var registry = new RegistryClient(image.Registry);
        var tags = (await registry.ListTagsAsync(image.Repository, ct)).Where(t => t != "latest").ToList();
        var decision = policy.Decide(tags, production, rollbackTarget);
        var keptDigests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (tag, why) in decision.Keep)
        {
            if (await registry.DigestAsync(image.Repository, tag, ct) is { } digest)
            {
                keptDigests.Add(digest);
            }

            kept.Add(Entry("registry", $"{image.Repository}:{tag}", why));
        }

        foreach (var (tag, why) in decision.Delete)
        {
            var digest = await registry.DigestAsync(image.Repository, tag, ct);
            if (digest is null || keptDigests.Contains(digest))
            {
                continue; // gone already, or the same manifest as a kept tag: deleting by digest would take that too
            }

            await registry.DeleteAsync(image.Repository, digest, ct);
            log.Info($"deleted {image.Registry}/{image.Repository}:{tag} ({digest}) from the registry: {why}");
            deleted.Add(Entry("registry", $"{image.Repository}:{tag}@{digest}", why));
        }
    }

    private static async Task PruneEngineAsync(ImageReference image, JsonArray deleted, IStageLog log, CancellationToken ct)
    {
        if (!BackendSelector.EngineAnswers())
        {
            return;
        }

        var gone = deleted.Where(d => (string?)d!["where"] == "registry").Select(d => ((string)d!["what"]!).Split('@')[0]).ToHashSet(StringComparer.Ordinal);
        using var docker = new DockerClientConfiguration(new Uri("unix://" + BackendSelector.DockerSocket)).CreateClient();
        var images = await docker.Images.ListImagesAsync(new ImagesListParameters { All = true }, ct);
        foreach (var tag in images.SelectMany(i => i.RepoTags ?? []).Where(t => t.StartsWith(image.Registry + "/", StringComparison.Ordinal)))
        {
            if (gone.Contains(tag[(image.Registry.Length + 1)..]))
            {
                await docker.Images.DeleteImageAsync(tag, new ImageDeleteParameters(), ct);
                log.Info($"removed {tag} from the Docker engine");
                deleted.Add(Entry("engine", tag, "deleted from the registry"));
            }
        }
    }

    private static JsonObject Entry(string where, string what, string why) => new() { ["where"] = where, ["what"] = what, ["why"] = why };
}
