using Tollgate.Core.Releases;

namespace Tollgate.Release.Switching;

/// <summary>
/// The seam to the model registry's aliases (MLflow <c>challenger</c> / <c>champion</c>). The release store stays the
/// source of truth for what serves; aliases mirror it for people and tools that look in MLflow. The CLI wires an
/// implementation over Tollgate.Tracking's registry when tracking is configured, else <see cref="NoReleaseAliases"/>.
/// </summary>
public interface IReleaseAliases
{
    /// <summary>Points <paramref name="alias"/> of <paramref name="release"/>'s model at it. Returns what was done, for the report.</summary>
    Task<string> MoveAsync(string alias, ReleasedModel release, CancellationToken cancellationToken);
}
