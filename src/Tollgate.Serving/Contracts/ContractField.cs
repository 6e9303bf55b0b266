namespace Tollgate.Serving.Contracts;

/// <summary>What the data contract says about one column: enough to validate a request field.</summary>
/// <param name="Name">Column name.</param>
/// <param name="LogicalType">ODCS logicalType: <c>integer</c>, <c>number</c>, <c>string</c>, <c>date</c>, <c>boolean</c>…</param>
/// <param name="Required">ODCS <c>required</c>.</param>
/// <param name="ValidValues">The categorical domain (quality rule <c>invalidValues</c> with <c>validValues</c>), or null.</param>
/// <param name="Minimum">logicalTypeOptions.minimum for numbers, or null.</param>
/// <param name="Maximum">logicalTypeOptions.maximum for numbers, or null.</param>
public sealed record ContractField(
    string Name,
    string LogicalType,
    bool Required,
    IReadOnlySet<string>? ValidValues,
    double? Minimum,
    double? Maximum)
{
    public bool IsNumeric => LogicalType is "integer" or "number";

    public bool IsInteger => LogicalType == "integer";
}
