using Tollgate.Cli.Hosting;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Stages;

namespace Tollgate.Cli.Verbs;

/// <summary><c>tollgate train</c>: fits the model on the rows before the time-based holdout.</summary>
public sealed class TrainVerb : StageVerb
{
    protected override string Stage => StageName.Train;

    protected override string Description =>
        "Reads the dumps validate-data accepted (checking their sha256), splits them by time per model.yaml's holdout, " +
        "checks the label has two classes on both sides, and fits the model on the rows before the holdout. " +
        "Writes train/model.zip, split.json and report.html. Exit 3 when the label or split makes training meaningless.";

    protected override Task<StageReport> RunAsync(StageInvocation invocation, CancellationToken cancellationToken) =>
        Task.Run(() => TrainStage.Run(new ModelingContext(invocation.RepoRoot, invocation.Spec, invocation.Run, invocation.Log, invocation.Time)), cancellationToken);
}
