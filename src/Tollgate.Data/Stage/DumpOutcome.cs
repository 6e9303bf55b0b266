namespace Tollgate.Data.Stage;

/// <summary>What happened to one dump in this run.</summary>
/// <param name="File">Repo-relative path of the dump when it was validated.</param>
/// <param name="Status"><c>accepted</c> (new, checked now), <c>known</c> (accepted by an earlier run, unchanged), or <c>quarantined</c>.</param>
/// <param name="Rows">Data rows.</param>
/// <param name="FailedErrors">Ids of the error-severity checks that failed.</param>
/// <param name="FailedWarnings">Ids of the warning checks that failed.</param>
/// <param name="QuarantinedTo">Where a rejected dump was moved.</param>
public sealed record DumpOutcome(
    string File,
    string Status,
    long Rows,
    IReadOnlyList<string> FailedErrors,
    IReadOnlyList<string> FailedWarnings,
    string? QuarantinedTo = null);
