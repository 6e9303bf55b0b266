using Tollgate.Core.Releases;

namespace Tollgate.Release.Switching;

/// <summary>How a promote or rollback ended.</summary>
/// <param name="Changed">False when the target already served (idempotent re-run) or the switch failed.</param>
/// <param name="Failure">Why the target could not take traffic (production untouched), or null.</param>
/// <param name="Previous">Production before.</param>
/// <param name="Production">Production after.</param>
/// <param name="Message">One line for the report.</param>
/// <param name="Recovered">What recovery of an earlier, killed operation did, or null.</param>
/// <param name="Elapsed">Time from start to the front door serving the target.</param>
/// <param name="Notes">Further lines (aliases, stopped deployments).</param>
public sealed record SwitchResult(
    bool Changed,
    string? Failure,
    ReleasedModel? Previous,
    ReleasedModel? Production,
    string Message,
    string? Recovered,
    TimeSpan Elapsed,
    IReadOnlyList<string> Notes);
