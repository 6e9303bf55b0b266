using Tollgate.Core.Errors;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Release.Hosting;
using Tollgate.Release.Promotion;
using Tollgate.Release.Shadow;
using Tollgate.Release.Switching;

namespace Tollgate.Release.Rollback;

/// <summary>
/// Rollback: puts the previous production version (or <c>--to</c> a released one) back through the front door from its
/// versioned release folder — no rebuild, no retrain; its threshold and metadata come with it. Waits for
/// <c>/health/ready</c> and a smoke prediction before switching; records the event with its reason.
/// Nothing older to go back to → configuration error (exit 2).
/// </summary>
public static class RollbackStage
{
    public const string Name = "rollback";

    public static async Task<StageReport> RunAsync(ReleaseEnvironment env, string? to, string reason, CancellationToken cancellationToken)
    {
        var smoke = ReplaySource.Load(env.RepoRoot, env.Spec, null, env.ServingLogRoot, env.Release.SmokeRows).Rows.Select(r => r.Row).ToList();
        ReleasedModel? target = null;
        var result = await env.Switcher.SwitchAsync(
            $"rollback {env.Spec.Name}{(to is null ? string.Empty : " to " + to)}",
            () =>
            {
                target = Resolve(env, to);
                return new SwitchRequest(ReleaseEvent.RollbackKind, target, reason, smoke);
            },
            cancellationToken);
        if (result.Failure is not null)
        {
            throw new InfrastructureException($"rollback of {env.Spec.Name} to {target!.Version} failed: {result.Failure}");
        }

        return await PromoteStage.ReportAsync(Name, env, result, target!, cancellationToken);
    }

    /// <summary>The version to go back to, read from the history under the lock.</summary>
    public static ReleasedModel Resolve(ReleaseEnvironment env, string? to)
    {
        var history = new ReleaseHistory(env.ModelRoot);
        var events = history.ReadAll();
        var lineage = new ReleaseLineage(events);
        var production = lineage.Production ?? env.Store.TryGetProduction(env.Spec.Name);
        if (production is null)
        {
            throw new ConfigurationException($"{history.Path}: {env.Spec.Name} has never been released; there is nothing to roll back.");
        }

        ReleasedModel target;
        if (to is not null)
        {
            target = history.ReleasedNewestFirst().FirstOrDefault(r => r.Version == to)
                ?? throw new ConfigurationException(
                    $"--to {to}: {env.Spec.Name} never had that version in production. Released versions, newest first: {string.Join(", ", history.ReleasedNewestFirst().Select(r => r.Version))}.");
        }
        else
        {
            target = lineage.RollbackTarget
                ?? throw new ConfigurationException(
                    $"nothing older to roll back to: {production.Version} is the only version left on {env.Spec.Name}'s release chain ({history.Path}). " +
                    "Pass --to <version> to go to a specific released version, or promote a new one.");
        }

        if (!Directory.Exists(target.ModelDir))
        {
            throw new ConfigurationException(
                $"{target.ModelDir}: the release folder of {target.Version} is gone (pruned or moved); cannot roll back to it without a rebuild. Choose another version with --to.");
        }

        return target;
    }
}
