namespace Tollgate.Data.Contracts;

/// <summary>
/// The checks ODCS has no word for, declared as <c>quality: [{type: custom, engine: tollgate, implementation: {check: …}}]</c>.
/// </summary>
public static class CustomCheck
{
    /// <summary>Verify the <c>.sha256</c> sidecar (<c>required: true</c> fails closed when it is missing).</summary>
    public const string Sha256 = "sha256";

    /// <summary>Verify an HMAC-SHA256 <c>.sig</c> sidecar with the key in the environment variable <c>keyEnv</c>.</summary>
    public const string Hmac = "hmac";

    /// <summary>Rows and bytes within median ± k·MAD of the last <c>window</c> accepted dumps (log scale).</summary>
    public const string Volume = "volume";

    /// <summary>Distribution of a column vs the pooled reference of recent accepted dumps (PSI/KS, JS/L∞/χ²).</summary>
    public const string Drift = "drift";

    /// <summary>Numeric aggregates (mean, median, IQR, p1, p99) within the band of recent dumps' aggregates.</summary>
    public const string Stats = "stats";

    /// <summary>Null-or-missing rate vs the reference rate.</summary>
    public const string NullRate = "null-rate";

    /// <summary>Timestamps within [contract minimum, dump date + lag] and not in the future.</summary>
    public const string TimestampRange = "timestamp-range";

    /// <summary>Feature–label association (univariate AUC) of the accepted data above a leak threshold.</summary>
    public const string Leak = "leak";

    /// <summary>Feature–label correlation of a dump vs history: a jump suggests a leak, a decline drift.</summary>
    public const string TargetCorrelation = "target-correlation";

    /// <summary>Serving-log features (as received and after processing) vs the training data.</summary>
    public const string Skew = "skew";

    /// <summary>Columns in the file that the contract does not declare.</summary>
    public const string UnexpectedColumns = "unexpected-columns";

    public static IReadOnlyList<string> All { get; } =
        [Sha256, Hmac, Volume, Drift, Stats, NullRate, TimestampRange, Leak, TargetCorrelation, Skew, UnexpectedColumns];
}
