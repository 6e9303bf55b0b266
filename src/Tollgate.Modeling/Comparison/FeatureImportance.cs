namespace Tollgate.Modeling.Comparison;

/// <summary>How much a model relies on one feature on the holdout.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Drop">Loss of quality when the feature is permuted (or dropped): AUC lost for binary, RMSE gained for regression.</param>
/// <param name="Share">Drop as a share of all positive drops (0 to 1).</param>
/// <param name="Rank">1 = most important.</param>
public sealed record FeatureImportance(string Feature, double Drop, double Share, int Rank)
{
    /// <summary>Shares and ranks from raw drops.</summary>
    public static IReadOnlyList<FeatureImportance> FromDrops(IReadOnlyDictionary<string, double> drops)
    {
        ArgumentNullException.ThrowIfNull(drops);
        var total = drops.Values.Where(d => d > 0).Sum();
        return drops
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select((kv, i) => new FeatureImportance(kv.Key, kv.Value, total > 0 ? Math.Max(0, kv.Value) / total : 0, i + 1))
            .ToList();
    }
}
