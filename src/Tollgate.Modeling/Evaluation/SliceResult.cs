using Tollgate.Core.Stages;

namespace Tollgate.Modeling.Evaluation;

/// <summary>One slice's groups with their metrics, and the checks the slice's gates produced.</summary>
/// <param name="Name">Slice name (the column, or "column bands").</param>
/// <param name="Groups">Groups in descending size.</param>
/// <param name="Checks">Per-group minimums and the disparity across groups.</param>
public sealed record SliceResult(string Name, IReadOnlyList<SliceGroup> Groups, IReadOnlyList<CheckResult> Checks);
