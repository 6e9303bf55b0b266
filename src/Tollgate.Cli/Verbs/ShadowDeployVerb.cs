using Tollgate.Cli.Hosting;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;
using Tollgate.Release.Hosting;
using Tollgate.Release.Shadow;

namespace Tollgate.Cli.Verbs;

/// <summary><c>tollgate shadow-deploy</c>: the candidate beside production on replayed or mirrored traffic, gated (see docs/release.md).</summary>
public sealed class ShadowDeployVerb : StageVerb
{
    protected override string Stage => StageName.ShadowDeploy;

    protected override string Description =>
        "Starts the run's candidate beside production and feeds both the same requests: recorded serving-log rows replayed at " +
        "shadow.ratePerSecond (the CI default) or live traffic mirrored by the front door (shadow.mode: mirror). Measures latency " +
        "p50/p95/p99, error rate, restarts, memory, label agreement and score difference; keeps disagreements in " +
        "shadow-deploy/disagreements.jsonl; gates on shadow.gates. Exit 3 when a gate fails; the candidate then is stopped.";

    protected override async Task<StageReport> RunAsync(StageInvocation invocation, CancellationToken cancellationToken)
    {
        invocation.Run.RequirePassed(StageName.BuildImage);
        var errors = new SpecErrors();
        var shadow = ShadowOptions.Read(invocation.Spec, errors);
        using var env = ReleaseEnvironment.Create(invocation.RepoRoot, invocation.Spec, errors, invocation.Log, invocation.Time);
        errors.ThrowIfAny();
        return await ShadowDeployStage.RunAsync(env, shadow, invocation.Run, invocation.Log, cancellationToken);
    }
}
