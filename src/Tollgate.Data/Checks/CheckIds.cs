namespace Tollgate.Data.Checks;

/// <summary>
/// Every check id Validate-Data reports, defined once. Library rules from the contract report under their own
/// <c>id</c>; these are the built-in checks and the <c>engine: tollgate</c> ones.
/// </summary>
public static class CheckIds
{
    public const string Parse = "file.parse";
    public const string Encoding = "file.encoding";
    public const string Sha256 = "file.sha256";
    public const string Hmac = "file.hmac";
    public const string Unchanged = "file.unchanged";
    public const string ColumnPresent = "schema.column-present";
    public const string UnexpectedColumn = "schema.unexpected-column";
    public const string RowCount = "table.row-count";
    public const string Volume = "table.volume";
    public const string PrimaryKey = "table.primary-key";
    public const string Leak = "table.label-leak";
    public const string Required = "column.required";
    public const string Type = "column.type";
    public const string Range = "column.range";
    public const string Pattern = "column.pattern";
    public const string Length = "column.length";
    public const string Unique = "column.unique";
    public const string NullRate = "column.null-rate";
    public const string Stats = "column.stats";
    public const string Drift = "column.drift";
    public const string TargetCorrelation = "column.target-correlation";
    public const string TimestampFormat = "timestamp.format";
    public const string TimestampRange = "timestamp.range";
    public const string SkewReceived = "skew.received";
    public const string SkewProcessed = "skew.processed";
    public const string SkewLog = "skew.log";
}
