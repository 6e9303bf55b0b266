namespace Tollgate.Core.Runs;

/// <summary>One data file that entered a run: where it was, what it held and its digest.</summary>
/// <param name="Path">Path relative to the repository root (forward slashes).</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the file's bytes.</param>
/// <param name="Rows">Data rows (header excluded).</param>
/// <param name="Bytes">File size.</param>
/// <param name="FirstTimestamp">Earliest value of the timestamp column, ISO-8601, when known.</param>
/// <param name="LastTimestamp">Latest value of the timestamp column, ISO-8601, when known.</param>
public sealed record DataFileRecord(
    string Path,
    string Sha256,
    long Rows,
    long Bytes,
    string? FirstTimestamp = null,
    string? LastTimestamp = null);
