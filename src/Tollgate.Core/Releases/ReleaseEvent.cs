namespace Tollgate.Core.Releases;

/// <summary>
/// One line of the append-only release history (<c>history.jsonl</c>): a promote or a rollback that took effect.
/// </summary>
/// <param name="Id">Transaction id; appending the same id twice is a no-op, so a resumed promote never records twice.</param>
/// <param name="Kind"><c>promote</c> or <c>rollback</c>.</param>
/// <param name="Release">The version that became production.</param>
/// <param name="PreviousVersion">The version it replaced, or null on the first release.</param>
/// <param name="Actor">Who: CI user or job when known (GITLAB_USER_LOGIN, CI_JOB_ID), else the OS user and host.</param>
/// <param name="At">When the front door switched.</param>
/// <param name="Reason">Why, as given on the command line (rollbacks) or the run that produced it (promotes).</param>
public sealed record ReleaseEvent(
    string Id,
    string Kind,
    ReleasedModel Release,
    string? PreviousVersion,
    string Actor,
    DateTimeOffset At,
    string Reason)
{
    public const string PromoteKind = "promote";
    public const string RollbackKind = "rollback";
}
