namespace Tollgate.Core.Specs;

/// <summary>The metric names a model spec may gate on, per task, and which direction is better.</summary>
public static class MetricCatalog
{
    private static readonly Dictionary<string, bool> Binary = new(StringComparer.Ordinal)
    {
        ["auc"] = true,
        ["prAuc"] = true,
        ["f1"] = true,
        ["precision"] = true,
        ["recall"] = true,
        ["accuracy"] = true,
        ["logLoss"] = false,
        ["brier"] = false,
    };

    private static readonly Dictionary<string, bool> Regression = new(StringComparer.Ordinal)
    {
        ["rmse"] = false,
        ["mae"] = false,
        ["r2"] = true,
        ["mape"] = false,
    };

    public static IReadOnlyCollection<string> NamesFor(TaskKind task) => (task == TaskKind.Regression ? Regression : Binary).Keys;

    /// <summary>True when a larger value is better (AUC), false when smaller is (log-loss, RMSE).</summary>
    public static bool HigherIsBetter(TaskKind task, string metric) =>
        (task == TaskKind.Regression ? Regression : Binary).TryGetValue(metric, out var higher)
            ? higher
            : throw new ArgumentException($"unknown metric '{metric}' for {task}", nameof(metric));

    public static bool IsKnown(TaskKind task, string metric) =>
        (task == TaskKind.Regression ? Regression : Binary).ContainsKey(metric);
}
