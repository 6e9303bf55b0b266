using System.Text.RegularExpressions;

namespace Tollgate.Data.Contracts;

/// <summary>One <c>schema[].properties[]</c> entry of the contract.</summary>
public sealed record ColumnContract
{
    public required string Name { get; init; }

    public required LogicalType LogicalType { get; init; }

    /// <summary>Null values fail <c>column.required</c>.</summary>
    public bool Required { get; init; }

    public bool Unique { get; init; }

    public bool PrimaryKey { get; init; }

    public int PrimaryKeyPosition { get; init; } = -1;

    /// <summary><c>logicalTypeOptions.minimum</c> for numbers.</summary>
    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    /// <summary><c>logicalTypeOptions.minimum</c>/<c>maximum</c> for dates (day numbers since 0001-01-01).</summary>
    public DateOnly? MinimumDate { get; init; }

    public DateOnly? MaximumDate { get; init; }

    /// <summary>.NET date format (ODCS uses JDK patterns; <c>yyyy-MM-dd</c> reads the same in both).</summary>
    public string? Format { get; init; }

    public Regex? Pattern { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>The domain from the column's <c>invalidValues</c> rule (<c>arguments.validValues</c>), when declared.</summary>
    public IReadOnlySet<string>? ValidValues { get; init; }

    /// <summary>Values that mean "missing" (<c>missingValues</c> rule's <c>arguments.missingValues</c>), e.g. <c>unknown</c>.</summary>
    public IReadOnlySet<string> MissingValues { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlyList<QualityRule> Quality { get; init; } = [];

    public int Line { get; init; }

    public bool IsNumeric => LogicalType is LogicalType.Integer or LogicalType.Number;

    public bool IsDate => LogicalType is LogicalType.Date or LogicalType.Timestamp;
}
