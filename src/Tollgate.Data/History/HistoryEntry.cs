namespace Tollgate.Data.History;

/// <summary>One accepted dump in the profile history.</summary>
/// <param name="File">File name in the incoming folder.</param>
/// <param name="Sha256">Digest of the bytes that were accepted; a later change to the file is refused.</param>
/// <param name="ContractSha256">The contract it passed; a changed contract re-validates the dump.</param>
/// <param name="Rows">Data rows.</param>
/// <param name="Bytes">File size.</param>
/// <param name="FirstTimestamp">Earliest timestamp (yyyy-MM-dd).</param>
/// <param name="LastTimestamp">Latest timestamp (yyyy-MM-dd).</param>
/// <param name="AcceptedAt">When it entered the history.</param>
/// <param name="RunId">The run that accepted it.</param>
public sealed record HistoryEntry(
    string File,
    string Sha256,
    string ContractSha256,
    long Rows,
    long Bytes,
    string? FirstTimestamp,
    string? LastTimestamp,
    DateTimeOffset AcceptedAt,
    string RunId);
