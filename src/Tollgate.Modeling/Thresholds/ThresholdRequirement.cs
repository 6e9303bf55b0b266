using System.Globalization;
using Tollgate.Core.Specs;

namespace Tollgate.Modeling.Thresholds;

/// <summary>
/// The production requirement for the decision threshold, from model.yaml's <c>thresholds:</c> section:
/// <code>
/// thresholds:
///   objective: precision          # maximise precision | recall | f1, or minimise expected cost
///   minimum: { recall: 0.60 }     # floors that must hold (recall and/or precision)
///   costs: { falsePositive: 1, falseNegative: 5 }   # required for objective: cost
/// </code>
/// </summary>
public sealed record ThresholdRequirement(
    string Objective,
    IReadOnlyDictionary<string, double> Minimum,
    double FalsePositiveCost,
    double FalseNegativeCost)
{
    public static readonly IReadOnlyList<string> Objectives = ["precision", "recall", "f1", "cost"];

    /// <summary>Reads the section; null when model.yaml has none. Problems go to <paramref name="errors"/>.</summary>
    public static ThresholdRequirement? FromSpec(ModelSpec spec, SpecErrors errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var section = spec.ReadSection("thresholds", errors);
        if (section is null)
        {
            return null;
        }

        section.RejectUnknownKeys("objective", "minimum", "costs");
        var objective = section.String("objective", required: true, oneOf: [.. Objectives]);
        var minimum = new Dictionary<string, double>(StringComparer.Ordinal);
        var min = section.Map("minimum");
        if (min is not null)
        {
            min.RejectUnknownKeys("recall", "precision");
            foreach (var key in new[] { "recall", "precision" })
            {
                if (min.Number(key, min: 0, max: 1) is { } v)
                {
                    minimum[key] = v;
                }
            }
        }

        double fp = 1, fn = 1;
        var costs = section.Map("costs");
        if (costs is not null)
        {
            costs.RejectUnknownKeys("falsePositive", "falseNegative");
            fp = costs.Number("falsePositive", required: true, min: 0) ?? 1;
            fn = costs.Number("falseNegative", required: true, min: 0) ?? 1;
        }
        else if (objective == "cost")
        {
            section.Error("objective", "objective 'cost' needs 'costs: { falsePositive: 1, falseNegative: 5 }'.");
        }

        return objective is null ? null : new ThresholdRequirement(objective, minimum, fp, fn);
    }

    public override string ToString()
    {
        var goal = Objective == "cost"
            ? $"minimise expected cost (false positive {F(FalsePositiveCost)}, false negative {F(FalseNegativeCost)})"
            : $"maximise {Objective}";
        return Minimum.Count == 0 ? goal : $"{string.Join(" and ", Minimum.Select(kv => $"{kv.Key} ≥ {F(kv.Value)}"))}, then {goal}";
    }

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
