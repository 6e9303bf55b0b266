namespace Tollgate.Core.Releases;

/// <summary>
/// The journal of an unfinished promote or rollback (<c>&lt;store&gt;/&lt;model&gt;/pending.json</c>), written atomically
/// before every step. Present only while an operation runs or after it was killed.
/// </summary>
/// <param name="Id">Transaction id, reused as the history event id.</param>
/// <param name="Kind"><see cref="ReleaseEvent.PromoteKind"/> or <see cref="ReleaseEvent.RollbackKind"/>.</param>
/// <param name="Step">The step being attempted.</param>
/// <param name="From">Production before the operation, null on the first release.</param>
/// <param name="To">The version being switched to.</param>
/// <param name="FromDeployment">Name of the deployment serving <paramref name="From"/>.</param>
/// <param name="ToDeployment">Name of the deployment started for <paramref name="To"/>, once known.</param>
/// <param name="Actor">Who started it.</param>
/// <param name="Reason">Why.</param>
/// <param name="StartedAt">When it started.</param>
public sealed record PendingRelease(
    string Id,
    string Kind,
    ReleaseStep Step,
    ReleasedModel? From,
    ReleasedModel To,
    string? FromDeployment,
    string? ToDeployment,
    string Actor,
    string Reason,
    DateTimeOffset StartedAt);
