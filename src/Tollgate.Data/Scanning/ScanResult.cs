namespace Tollgate.Data.Scanning;

/// <summary>Everything one streaming pass over a dump measured: file facts, header, per-column scans and key checks.</summary>
public sealed record ScanResult
{
    public required string Path { get; init; }

    public long Bytes { get; init; }

    /// <summary>SHA-256 of the bytes, computed in the same pass.</summary>
    public required string Sha256 { get; init; }

    /// <summary>HMAC-SHA256 of the bytes with <see cref="ScanPlan.HmacKey"/>, when one was given.</summary>
    public string? Hmac { get; init; }

    /// <summary>Data rows (header excluded, blank lines excluded).</summary>
    public long Rows { get; init; }

    /// <summary>A problem that stopped parsing before any row (empty file, no header); null when parsing ran.</summary>
    public string? Fatal { get; init; }

    public IReadOnlyList<string> Header { get; init; } = [];

    public IReadOnlyList<string> MissingColumns { get; init; } = [];

    public IReadOnlyList<string> UnexpectedColumns { get; init; } = [];

    public IReadOnlyList<string> DuplicateHeaderColumns { get; init; } = [];

    /// <summary>Rows whose field count differs from the header (ragged rows, unbalanced quotes, truncated last line).</summary>
    public IssueSamples Ragged { get; init; } = new();

    /// <summary>Records longer than the limit, skipped.</summary>
    public IssueSamples LongRecords { get; init; } = new();

    /// <summary>Byte offset of the first invalid UTF-8 sequence, or null.</summary>
    public long? InvalidUtf8Offset { get; init; }

    /// <summary>Line of the first invalid UTF-8 sequence.</summary>
    public long? InvalidUtf8Line { get; init; }

    public bool HadBom { get; init; }

    /// <summary>A hint when the header looks split by another delimiter than the declared one.</summary>
    public string? DelimiterHint { get; init; }

    public IReadOnlyDictionary<string, ColumnScan> Columns { get; init; } = new Dictionary<string, ColumnScan>();

    public IReadOnlyList<KeyScan> Keys { get; init; } = [];

    public long LabelPositive { get; init; }

    public long LabelCount { get; init; }
}
