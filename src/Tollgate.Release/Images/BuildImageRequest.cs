using Tollgate.Core.Releases;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;

namespace Tollgate.Release.Images;

/// <summary>Everything Build-Image runs with, resolved by the caller (the CLI verb or a test).</summary>
/// <param name="RepoRoot">Repository root (server project, contract).</param>
/// <param name="Spec">The model spec.</param>
/// <param name="Run">The run holding <c>candidate/</c>; outputs go to <c>build-image/</c>.</param>
/// <param name="Options">Image settings.</param>
/// <param name="Store">The release store, for the local-process backend's versioned release folder.</param>
/// <param name="Log">Progress.</param>
/// <param name="Time">Clock for the created label.</param>
/// <param name="Environment">Environment variables (DOCKER_HOST, CI_PROJECT_URL).</param>
public sealed record BuildImageRequest(
    string RepoRoot,
    ModelSpec Spec,
    RunDirectory Run,
    BuildImageOptions Options,
    ReleaseStore Store,
    IStageLog Log,
    TimeProvider Time,
    Func<string, string?> Environment);
