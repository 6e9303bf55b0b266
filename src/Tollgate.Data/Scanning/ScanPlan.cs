using Tollgate.Data.Contracts;

namespace Tollgate.Data.Scanning;

/// <summary>What to measure in a dump: the contract, which column is the label, which are keys, and the date bounds.</summary>
public sealed record ScanPlan
{
    public required DataContract Contract { get; init; }

    /// <summary>Label column, or null when the contract has none (profiles then carry no class split).</summary>
    public string? LabelColumn { get; init; }

    public string? PositiveClass { get; init; }

    /// <summary>Primary key (single or composite); duplicates fail <c>table.primary-key</c>.</summary>
    public IReadOnlyList<string> KeyColumns { get; init; } = [];

    /// <summary>The timestamp column checked by <c>timestamp.range</c>.</summary>
    public string? TimestampColumn { get; init; }

    /// <summary>Latest acceptable date: the dump's date plus the allowed lag, and never after today.</summary>
    public DateOnly? LatestDate { get; init; }

    /// <summary>Earliest acceptable date when the contract sets no minimum. <value>Default 1900-01-01.</value></summary>
    public DateOnly EarliestDate { get; init; } = new(1900, 1, 1);

    /// <summary>Key for the HMAC-SHA256 signature check; null when no signature is checked.</summary>
    public byte[]? HmacKey { get; init; }

    /// <summary>Bytes per parallel block. <value>Default 4 MiB.</value></summary>
    public int BlockBytes { get; init; } = 4 << 20;

    /// <summary>Longest record accepted before the rest of the line is skipped. <value>Default 64 MiB.</value></summary>
    public int MaxRecordBytes { get; init; } = 64 << 20;

    /// <summary>Worker threads. <value>Default: one per core.</value></summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Columns whose values are counted as categories (spec categorical features, label, declared domains).</summary>
    public IReadOnlySet<string> CategoricalColumns { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
