using Tollgate.Cli.Hosting;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Release.Hosting;
using Tollgate.Release.Promotion;

namespace Tollgate.Cli.Verbs;

/// <summary><c>tollgate promote</c>: the front door switches to the run's candidate (see docs/release.md).</summary>
public sealed class PromoteVerb : StageVerb
{
    protected override string Stage => StageName.Promote;

    protected override string Description =>
        "Switches the model's front door to the run's candidate with zero failed requests: the new version must answer " +
        "/health/ready and a smoke set first, the old one keeps serving until the switch and drains after it. Records the " +
        "release in the append-only history and production.json, moves the MLflow 'champion' alias. Idempotent; a second " +
        "promote of the same model at the same time fails with exit 4; a killed promote is finished or undone by the next run.";

    protected override async Task<StageReport> RunAsync(StageInvocation invocation, CancellationToken cancellationToken)
    {
        var errors = new SpecErrors();
        using var env = ReleaseEnvironment.Create(invocation.RepoRoot, invocation.Spec, errors, invocation.Log, invocation.Time);
        errors.ThrowIfAny();
        return await PromoteStage.RunAsync(env, invocation.Run, invocation.Log, cancellationToken);
    }
}
