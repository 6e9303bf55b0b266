using Tollgate.Cli.Hosting;
using Tollgate.Core.Stages;
using Tollgate.Tracking.Configuration;
using Tollgate.Tracking.LogMlflow;

namespace Tollgate.Cli.Verbs;

/// <summary><c>tollgate log-mlflow</c>: logs the run's configuration and evidence to MLflow (see docs/mlflow.md).</summary>
public sealed class LogMlflowVerb : StageVerb
{
    protected override string Stage => StageName.LogMlflow;

    protected override string Description =>
        "Logs the run to MLflow: every model.yaml setting, the learned threshold, data period and digests, contract, git commit " +
        "as params; every stage's metrics; outcomes and CI ids as tags; the candidate model, reports and configuration as artifacts. " +
        "Registers the candidate as a model version and writes a comparison with the 'champion'. MLFLOW_TRACKING_URI=http(s)://… " +
        "uses a tracking server (auth: MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/_PASSWORD); unset, the file store ./mlruns. " +
        "An unreachable server exits 4 unless model.yaml says 'tracking: optional: true' (then the run is queued for 'tollgate mlflow sync').";

    protected override async Task<StageReport> RunAsync(StageInvocation invocation, CancellationToken cancellationToken)
    {
        var options = TrackingOptionsReader.Read(invocation.RepoRoot, invocation.Spec);
        var result = await new LogMlflowStage(options, invocation.Log, invocation.Time)
            .RunAsync(invocation.RepoRoot, invocation.Spec, invocation.Run, cancellationToken);
        return result.Report;
    }
}
