using System.Text.Json.Nodes;
using Tollgate.Core.Stages;

namespace Tollgate.Data.Contracts;

/// <summary>
/// One ODCS <c>quality</c> entry: a library metric (<c>nullValues</c>, <c>missingValues</c>, <c>invalidValues</c>,
/// <c>duplicateValues</c>, <c>rowCount</c>) with an operator, or a <c>type: custom</c>, <c>engine: tollgate</c> check
/// whose <c>implementation.check</c> names a Tollgate check (drift, volume, sha256…).
/// </summary>
public sealed record QualityRule
{
    /// <summary>The check id in reports: the rule's <c>id</c>, or <c>&lt;column&gt;.&lt;metric&gt;</c> when it has none.</summary>
    public required string Id { get; init; }

    /// <summary>The column of a property-level rule; null for table-level rules.</summary>
    public string? Column { get; init; }

    /// <summary><c>library</c> or <c>custom</c> (text and sql rules are recorded but not run).</summary>
    public required string Type { get; init; }

    public string? Metric { get; init; }

    public RuleOperator? Operator { get; init; }

    /// <summary><c>rows</c> (default) or <c>percent</c>.</summary>
    public string Unit { get; init; } = "rows";

    public required Severity Severity { get; init; }

    public JsonObject? Arguments { get; init; }

    /// <summary>For custom rules: the Tollgate check name (<c>implementation.check</c>).</summary>
    public string? Check { get; init; }

    /// <summary>For custom rules: the whole <c>implementation</c> object (thresholds and options).</summary>
    public JsonObject? Settings { get; init; }

    public string? Description { get; init; }

    /// <summary>Line in the contract file, for messages.</summary>
    public int Line { get; init; }

    /// <summary>False when the rule says <c>enabled: false</c>: the built-in check is switched off for its column.</summary>
    public bool Enabled => Settings?["enabled"] is not JsonValue v || !v.TryGetValue<bool>(out var on) || on;

    public double Number(string key, double fallback) => Settings?[key] is JsonValue v ? JsonNumber(v) ?? fallback : fallback;

    /// <summary>A JSON number as double, whether it was stored as an integer or a float.</summary>
    public static double? JsonNumber(JsonValue v) =>
        v.TryGetValue<double>(out var d) ? d : v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : null;

    public string? Text(string key) => Settings?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
