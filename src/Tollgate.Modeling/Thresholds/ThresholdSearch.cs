using Tollgate.Modeling.Evaluation;

namespace Tollgate.Modeling.Thresholds;

/// <summary>
/// Searches every distinct holdout score (the exact PR curve, not a grid) for the threshold that meets the requirement's
/// floors and is best on its objective. When no threshold meets the floors, reports the best value each floor could reach.
/// </summary>
public static class ThresholdSearch
{
    /// <summary>Every distinct score as a threshold, highest first.</summary>
    public static IReadOnlyList<ThresholdPoint> Points(ThresholdCurve curve, ThresholdRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(requirement);
        var points = new List<ThresholdPoint>(curve.Count);
        for (var k = 0; k < curve.Count; k++)
        {
            var tp = curve.TruePositives[k];
            var fp = curve.FalsePositives[k];
            var fn = curve.Positives - tp;
            var precision = curve.Precision(k);
            var recall = curve.Recall(k);
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            var cost = ((fp * requirement.FalsePositiveCost) + (fn * requirement.FalseNegativeCost)) / Math.Max(1, curve.Positives + curve.Negatives);
            points.Add(new ThresholdPoint(curve.Thresholds[k], precision, recall, f1, curve.FalsePositiveRate(k), cost, tp + fp));
        }

        return points;
    }

    /// <summary>The best feasible point, or null when no threshold meets every floor.</summary>
    public static ThresholdPoint? Choose(IReadOnlyList<ThresholdPoint> points, ThresholdRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(requirement);
        ThresholdPoint? best = null;
        foreach (var p in points.Where(p => Meets(p, requirement.Minimum)))
        {
            if (best is null || Better(p, best, requirement.Objective))
            {
                best = p;
            }
        }

        return best;
    }

    /// <summary>For each floor, the best value reachable while the other floors hold (NaN when even they cannot hold).</summary>
    public static IReadOnlyDictionary<string, double> BestAchievable(IReadOnlyList<ThresholdPoint> points, ThresholdRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(requirement);
        return requirement.Minimum.Keys.ToDictionary(
            metric => metric,
            metric =>
            {
                var others = requirement.Minimum.Where(kv => kv.Key != metric).ToDictionary(kv => kv.Key, kv => kv.Value);
                var reachable = points.Where(p => Meets(p, others)).Select(p => Value(p, metric)).ToList();
                return reachable.Count == 0 ? double.NaN : reachable.Max();
            });
    }

    public static double Value(ThresholdPoint p, string metric) => metric switch
    {
        "precision" => p.Precision,
        "recall" => p.Recall,
        "f1" => p.F1,
        "cost" => p.Cost,
        _ => throw new ArgumentException($"unknown threshold metric '{metric}'", nameof(metric)),
    };

    private static bool Meets(ThresholdPoint p, IReadOnlyDictionary<string, double> minimum) =>
        minimum.All(kv => Value(p, kv.Key) >= kv.Value);

    // Strictly better on the objective; ties keep the earlier (higher) threshold, i.e. fewer positive calls.
    private static bool Better(ThresholdPoint candidate, ThresholdPoint best, string objective) =>
        objective == "cost" ? candidate.Cost < best.Cost : Value(candidate, objective) > Value(best, objective);
}
