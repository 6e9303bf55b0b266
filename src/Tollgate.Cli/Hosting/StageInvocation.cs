using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;

namespace Tollgate.Cli.Hosting;

/// <summary>Everything a stage verb needs, resolved and validated before the stage starts.</summary>
public sealed record StageInvocation(
    string RepoRoot,
    ModelSpec Spec,
    RunDirectory Run,
    IStageLog Log,
    TimeProvider Time,
    System.CommandLine.ParseResult ParseResult);
