using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;

namespace Tollgate.Modeling.Stages;

/// <summary>What every modelling stage works with: the repository, the model spec, the run, a log and the clock.</summary>
/// <param name="RepoRoot">Repository root; data paths in accepted.json are relative to it.</param>
/// <param name="Spec">The loaded model.yaml.</param>
/// <param name="Run">The run directory the stage reads from and writes to.</param>
/// <param name="Log">Progress for the person watching.</param>
/// <param name="Time">The clock (trained-at timestamps).</param>
public sealed record ModelingContext(string RepoRoot, ModelSpec Spec, RunDirectory Run, IStageLog Log, TimeProvider Time);
