namespace Tollgate.Data.Profiles;

/// <summary>
/// The profile of one accepted dump: written to the run directory and to the profile history, where later runs compare
/// new dumps against it.
/// </summary>
public sealed record DumpProfile
{
    /// <summary>File name of the dump (e.g. <c>2009-03-02.csv</c>).</summary>
    public required string File { get; init; }

    public required string Sha256 { get; init; }

    public long Rows { get; init; }

    public long Bytes { get; init; }

    /// <summary>Rows whose label is the positive class.</summary>
    public long LabelPositive { get; init; }

    /// <summary>Rows with a label at all.</summary>
    public long LabelCount { get; init; }

    public string? FirstTimestamp { get; init; }

    public string? LastTimestamp { get; init; }

    /// <summary>SHA-256 of the contract the dump was validated against.</summary>
    public required string ContractSha256 { get; init; }

    public required IReadOnlyList<ColumnProfile> Columns { get; init; }

    public ColumnProfile? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);
}
