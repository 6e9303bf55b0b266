using Tollgate.Cli.Hosting;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Stages;

namespace Tollgate.Cli.Verbs;

/// <summary><c>tollgate holdout-validate</c>: gates the model on the holdout and writes the release candidate.</summary>
public sealed class HoldoutValidateVerb : StageVerb
{
    protected override string Stage => StageName.HoldoutValidate;

    protected override string Description =>
        "Scores the time-based holdout with the trained model and the naive baseline, computes metrics with bootstrap " +
        "intervals, calibration and slices, and applies model.yaml's gates. On pass, retrains on all data and writes the " +
        "release candidate to <run>/candidate/ (model.zip, candidate.json); on reject, exit 3 and no candidate.";

    protected override Task<StageReport> RunAsync(StageInvocation invocation, CancellationToken cancellationToken) =>
        Task.Run(() => HoldoutValidateStage.Run(new ModelingContext(invocation.RepoRoot, invocation.Spec, invocation.Run, invocation.Log, invocation.Time)), cancellationToken);
}
