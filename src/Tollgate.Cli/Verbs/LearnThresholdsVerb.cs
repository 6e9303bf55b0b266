using Tollgate.Cli.Hosting;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Stages;

namespace Tollgate.Cli.Verbs;

/// <summary><c>tollgate learn-thresholds</c>: chooses the decision threshold from the production requirement.</summary>
public sealed class LearnThresholdsVerb : StageVerb
{
    protected override string Stage => StageName.LearnThresholds;

    protected override string Description =>
        "Chooses the decision threshold on the holdout scores from model.yaml's 'thresholds:' requirement (e.g. recall ≥ 0.6 " +
        "then maximise precision; maximise f1; minimise expected cost), searching every distinct score. Stores it in the " +
        "candidate (threshold.json, candidate.json) so it rolls back with the model. Exit 3 when no threshold meets the " +
        "requirement (the report names the best achievable value); skipped without a 'thresholds:' section.";

    protected override Task<StageReport> RunAsync(StageInvocation invocation, CancellationToken cancellationToken) =>
        Task.Run(() => LearnThresholdsStage.Run(new ModelingContext(invocation.RepoRoot, invocation.Spec, invocation.Run, invocation.Log, invocation.Time)), cancellationToken);
}
