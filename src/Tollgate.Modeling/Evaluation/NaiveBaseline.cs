using Tollgate.Core.Specs;
using Tollgate.Modeling.Data;

namespace Tollgate.Modeling.Evaluation;

/// <summary>
/// The naive baselines a model must beat, fitted on the training rows only and scored on the holdout rows:
/// <c>prior</c> (the training positive rate for everyone), <c>majority</c> (the majority class, probability 0 or 1),
/// <c>mean</c> and <c>last</c> (the training mean or last value), and <c>seasonal</c> (the value one season earlier,
/// averaged over rows of that day; the training mean where that day has no data).
/// </summary>
public static class NaiveBaseline
{
    /// <summary>Baseline predictions for <paramref name="target"/> rows, and a one-line description of what was predicted.</summary>
    public static (double[] Predictions, string Description) Predict(ModelSpec spec, ModelTable table, IReadOnlyList<int> train, IReadOnlyList<int> target)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(target);
        var labels = table.Labels;
        var trainMean = train.Count == 0 ? 0 : train.Average(i => (double)labels[i]);
        switch (spec.Baseline)
        {
            case "prior":
                return (Constant(target.Count, trainMean), $"prior: every row scored {trainMean:0.####}, the training positive rate");
            case "majority":
                var majority = trainMean >= 0.5 ? 1.0 : 0.0;
                return (Constant(target.Count, majority), $"majority: every row predicted '{(majority > 0 ? "positive" : "negative")}', the training majority class");
            case "mean":
                return (Constant(target.Count, trainMean), $"mean: every row predicted {trainMean:0.####}, the training mean");
            case "last":
                var last = labels[train[^1]];
                return (Constant(target.Count, last), $"last: every row predicted {last:0.####}, the last training value");
            case "seasonal":
                return Seasonal(spec, table, target, trainMean);
            default:
                throw new Core.Errors.ConfigurationException($"{spec.SpecPath}: 'baseline': unknown baseline '{spec.Baseline}'.");
        }
    }

    private static (double[], string) Seasonal(ModelSpec spec, ModelTable table, IReadOnlyList<int> target, double fallback)
    {
        var byDay = Enumerable.Range(0, table.Count)
            .GroupBy(i => table.Timestamps[i].Date)
            .ToDictionary(g => g.Key, g => g.Average(i => (double)table.Labels[i]));
        var missing = 0;
        var predictions = target.Select(i =>
        {
            if (byDay.TryGetValue(table.Timestamps[i].Date.AddDays(-spec.SeasonalPeriodDays), out var v))
            {
                return v;
            }

            missing++;
            return fallback;
        }).ToArray();
        return (predictions, $"seasonal: each row predicted by the value {spec.SeasonalPeriodDays} days earlier ({missing} of {target.Count} rows had no such day and used the training mean)");
    }

    private static double[] Constant(int n, double value) => Enumerable.Repeat(value, n).ToArray();
}
