using System.Globalization;

namespace Tollgate.Data.Contracts;

/// <summary>An ODCS comparison (<c>mustBe</c>, <c>mustBeLessThan</c>, <c>mustBeBetween</c>…) applied to a measured value.</summary>
/// <param name="Name">The ODCS key, e.g. <c>mustBeLessThan</c>.</param>
/// <param name="Low">The operand (the lower bound for the between forms).</param>
/// <param name="High">The upper bound for <c>mustBeBetween</c>/<c>mustNotBeBetween</c>.</param>
public sealed record RuleOperator(string Name, double Low, double High = double.NaN)
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "mustBe", "mustNotBe", "mustBeGreaterThan", "mustBeGreaterOrEqualTo", "mustBeLessThan", "mustBeLessOrEqualTo",
        "mustBeBetween", "mustNotBeBetween",
    ];

    public bool Holds(double value) => Name switch
    {
        "mustBe" => value == Low,
        "mustNotBe" => value != Low,
        "mustBeGreaterThan" => value > Low,
        "mustBeGreaterOrEqualTo" => value >= Low,
        "mustBeLessThan" => value < Low,
        "mustBeLessOrEqualTo" => value <= Low,
        "mustBeBetween" => value >= Low && value <= High,
        "mustNotBeBetween" => value < Low || value > High,
        _ => false,
    };

    /// <summary>Human form for reports: <c>&lt; 5</c>, <c>between 1 and 10</c>.</summary>
    public override string ToString() => Name switch
    {
        "mustBe" => $"= {F(Low)}",
        "mustNotBe" => $"≠ {F(Low)}",
        "mustBeGreaterThan" => $"> {F(Low)}",
        "mustBeGreaterOrEqualTo" => $"≥ {F(Low)}",
        "mustBeLessThan" => $"< {F(Low)}",
        "mustBeLessOrEqualTo" => $"≤ {F(Low)}",
        "mustBeBetween" => $"between {F(Low)} and {F(High)}",
        "mustNotBeBetween" => $"not between {F(Low)} and {F(High)}",
        _ => Name,
    };

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
