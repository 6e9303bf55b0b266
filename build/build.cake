// Tollgate's pipeline as Cake tasks. This file stays thin: a typed context built and validated once in Setup, the task
// graph, and RunTarget. Every stage task runs the `tollgate` CLI as a child process (built once by build.sh) and turns a
// non-zero exit into a CakeException with the same exit code, so CI sees 2 (configuration), 3 (gate rejected) or
// 4 (infrastructure) exactly as the CLI reported it. Project assemblies are never loaded into Cake (#r): ML.NET's native
// libraries do not load inside the Cake host.
#load "context.cake"

var target = Argument("target", "Release");

Setup<BuildContext>(setup => BuildContext.Create(Context));

// ── The release chain, in order ────────────────────────────────────────────────────────────────────────────────────
Task("Validate-Data")
    .Description("Validate every incoming dump against the model's ODCS data contract; quarantine rejected dumps (exit 3).")
    .Does<BuildContext>((ctx, c) => c.RunStage(ctx, "validate-data"));

Task("Train")
    .Description("Train the model on the accepted data before the time-based holdout window.")
    .IsDependentOn("Validate-Data")
    .Does<BuildContext>((ctx, c) => c.RunStage(ctx, "train"));

Task("Holdout-Validate")
    .Description("Score the holdout, beat the naive baseline and every gate, then retrain on all data as the release candidate.")
    .IsDependentOn("Train")
    .Does<BuildContext>((ctx, c) => c.RunStage(ctx, "holdout-validate"));

Task("Compare-Previous")
    .Description("Compare the candidate with the production model prediction by prediction (skipped on the first release).")
    .IsDependentOn("Holdout-Validate")
    .Does<BuildContext>((ctx, c) => c.RunStage(ctx, "compare-previous"));

Task("Learn-Thresholds")
    .Description("Learn the decision threshold on the holdout from the production requirement in model.yaml.")
    .IsDependentOn("Compare-Previous")
    .Does<BuildContext>((ctx, c) => c.RunStage(ctx, "learn-thresholds"));

Task("Log-MLflow")
    .Description("Log parameters, metrics, tags and artifacts to MLflow (REST when MLFLOW_TRACKING_URI is set, else ./mlruns).")
    .IsDependentOn("Learn-Thresholds")
    .Does<BuildContext>((ctx, c) => c.RunStage(ctx, "log-mlflow"));

Task("Build-Image")
    .Description("Build and push the model-server image (or a release folder with the local-process backend).")
    .IsDependentOn("Log-MLflow")
    .Does<BuildContext>((ctx, c) => c.RunStage(ctx, "build-image"));

Task("Shadow-Deploy")
    .Description("Run the candidate beside production on mirrored or replayed traffic and gate latency, errors and agreement.")
    .IsDependentOn("Build-Image")
    .Does<BuildContext>((ctx, c) => c.RunStage(ctx, "shadow-deploy"));

Task("Promote")
    .Description("Switch the front door to the candidate with zero failed requests and record the release.")
    .IsDependentOn("Shadow-Deploy")
    .Does<BuildContext>((ctx, c) => c.RunStage(ctx, "promote"));

Task("Prune-Images")
    .Description("Keep the last seven released images; never the production version or the rollback target.")
    .IsDependentOn("Promote")
    .Does<BuildContext>((ctx, c) => c.RunStage(ctx, "prune-images"));

// ── Entry targets: dependencies only ───────────────────────────────────────────────────────────────────────────────
Task("Release")
    .Description("The main job: the whole chain on the model (--model, default bank-marketing).")
    .IsDependentOn(BuildContext.ReleaseChainEnd);

Task("Rollback")
    .Description("Put the previous production version back in seconds (--to=<version>, --reason=\"...\").")
    .Does<BuildContext>((ctx, c) => c.RunRollback(ctx));

Task("Test")
    .Description("Run every test project; prints 'N passed, N failed'. Docker tests skip without an engine unless TOLLGATE_REQUIRE_INFRA=1.")
    .Does<BuildContext>((ctx, c) => c.RunTests(ctx));

Task("Benchmark-Pipeline")
    .Description("Run the chain on the example and write per-stage wall times to artifacts/bench/pipeline.json.")
    .IsDependentOn(BuildContext.ReleaseChainEnd)
    .Does<BuildContext>((ctx, c) => c.WritePipelineBenchmark(ctx));

Task("Benchmark")
    .Description("Write performance figures to artifacts/bench/*.json (pipeline stage times, validator, server, release).")
    .IsDependentOn("Benchmark-Pipeline")
    .Does<BuildContext>((ctx, c) => c.RunBenchmarks(ctx));

TaskTeardown<BuildContext>((teardown, c) => c.RecordDuration(teardown.Task.Name, teardown.Duration));

// Cake.Tool 7 ends every failed run with exit code 1. Keep the code the stage reported (2 configuration, 3 gate
// rejected, 4 infrastructure) so CI can tell a rejected model from a broken pipeline.
Teardown(teardown =>
{
    if (teardown.ThrownException is CakeException { ExitCode: var code } && code > 1)
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Environment.ExitCode = code;
    }
});

RunTarget(target);
