using Tollgate.Cli.Hosting;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Stages;

namespace Tollgate.Cli.Verbs;

/// <summary><c>tollgate compare-previous</c>: compares the candidate with the model in production, prediction by prediction.</summary>
public sealed class ComparePreviousVerb : StageVerb
{
    protected override string Stage => StageName.ComparePrevious;

    protected override string Description =>
        "Scores the holdout with the candidate and with the production model (release store: TOLLGATE_RELEASE_STORE or " +
        "artifacts/releases), gates on metric drops, decision flip rate and large score changes (model.yaml 'compare:'), " +
        "writes every row's difference to compare-previous/diff.csv, and compares permutation importances ('importance:'): " +
        "a jump flags a possible leak, near-zero features are prune candidates. Skipped on the first release.";

    protected override Task<StageReport> RunAsync(StageInvocation invocation, CancellationToken cancellationToken) =>
        Task.Run(
            () => ComparePreviousStage.Run(
                new ModelingContext(invocation.RepoRoot, invocation.Spec, invocation.Run, invocation.Log, invocation.Time),
                ReleaseStore.ForRepository(invocation.RepoRoot)),
            cancellationToken);
}
