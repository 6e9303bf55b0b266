namespace Tollgate.Data.Contracts;

/// <summary>
/// A loaded, schema-checked ODCS v3.1 contract for one table of dumps: columns, quality rules (library and
/// <c>engine: tollgate</c> custom ones) and the file format.
/// </summary>
public sealed record DataContract
{
    public required string Id { get; init; }

    public required string Version { get; init; }

    /// <summary>Path as given (relative to the repository root when loaded for a model).</summary>
    public required string Path { get; init; }

    /// <summary>SHA-256 of the contract bytes: a changed contract re-validates history.</summary>
    public required string Sha256 { get; init; }

    public required FileFormat Format { get; init; }

    public required IReadOnlyList<ColumnContract> Columns { get; init; }

    /// <summary>Table-level quality rules (<c>schema[0].quality</c>).</summary>
    public IReadOnlyList<QualityRule> TableRules { get; init; } = [];

    /// <summary>
    /// Severity overrides for built-in checks, from <c>customProperties: tollgate.severity</c>
    /// (e.g. <c>schema.unexpected-column: error</c>).
    /// </summary>
    public IReadOnlyDictionary<string, Tollgate.Core.Stages.Severity> SeverityOverrides { get; init; } =
        new Dictionary<string, Tollgate.Core.Stages.Severity>(StringComparer.Ordinal);

    public IEnumerable<QualityRule> AllRules => TableRules.Concat(Columns.SelectMany(c => c.Quality));

    public ColumnContract? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>Primary-key columns in <c>primaryKeyPosition</c> order.</summary>
    public IReadOnlyList<string> PrimaryKey =>
        Columns.Where(c => c.PrimaryKey).OrderBy(c => c.PrimaryKeyPosition < 0 ? int.MaxValue : c.PrimaryKeyPosition).Select(c => c.Name).ToList();

    /// <summary>The custom tollgate rules of one check name (e.g. <c>drift</c>).</summary>
    public IEnumerable<QualityRule> Custom(string check) => AllRules.Where(r => r.Check == check);

    /// <summary>
    /// The rule that configures <paramref name="check"/> for <paramref name="column"/>: the column's own custom rule, else a
    /// table-level one (which then applies to every column), else null (built-in defaults).
    /// </summary>
    public QualityRule? Settings(string check, string? column) =>
        (column is null ? null : Columns.FirstOrDefault(c => c.Name == column)?.Quality.FirstOrDefault(r => r.Check == check))
        ?? TableRules.FirstOrDefault(r => r.Check == check);
}
