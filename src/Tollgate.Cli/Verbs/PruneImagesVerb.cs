using Tollgate.Cli.Hosting;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Release.Hosting;
using Tollgate.Release.Pruning;

namespace Tollgate.Cli.Verbs;

/// <summary><c>tollgate prune-images</c>: keeps the last seven released images (see docs/release.md).</summary>
public sealed class PruneImagesVerb : StageVerb
{
    protected override string Stage => StageName.PruneImages;

    protected override string Description =>
        "Keeps the newest release.keepImages versions (default 7) in the registry, on the Docker engine and as versioned release " +
        "folders; never deletes the production version or the one a rollback would go to. Registry deletes go by manifest digest; " +
        "every deletion is logged and listed in the report. Idempotent. An unreachable registry exits 4.";

    protected override async Task<StageReport> RunAsync(StageInvocation invocation, CancellationToken cancellationToken)
    {
        var errors = new SpecErrors();
        using var env = ReleaseEnvironment.Create(invocation.RepoRoot, invocation.Spec, errors, invocation.Log, invocation.Time);
        errors.ThrowIfAny();
        return await PruneImagesStage.RunAsync(env, invocation.Run, invocation.Log, cancellationToken);
    }
}
