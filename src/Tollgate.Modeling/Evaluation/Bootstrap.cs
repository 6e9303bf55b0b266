using Tollgate.Core.Specs;

namespace Tollgate.Modeling.Evaluation;

/// <summary>
/// Percentile bootstrap over holdout rows (seeded): an interval for each metric of the model and for its gain over the
/// baseline, resampling the same rows for both (paired), so a gate can tell a real gain from noise.
/// </summary>
public static class Bootstrap
{
    /// <summary>Intervals at <paramref name="confidence"/> for every metric in <paramref name="metrics"/>.</summary>
    public static (Dictionary<string, (double Low, double High)> Model, Dictionary<string, (double Low, double High)> Gain) Intervals(
        TaskKind task,
        IReadOnlyList<float> labels,
        IReadOnlyList<double> model,
        IReadOnlyList<double> baseline,
        double threshold,
        IReadOnlyCollection<string> metrics,
        int resamples,
        double confidence,
        int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(metrics);
        var random = new Random(seed);
        var n = labels.Count;
        var modelDraws = metrics.ToDictionary(m => m, _ => new List<double>(resamples));
        var gainDraws = metrics.ToDictionary(m => m, _ => new List<double>(resamples));
        var l = new float[n];
        var s = new double[n];
        var b = new double[n];
        for (var r = 0; r < resamples && n > 0; r++)
        {
            for (var i = 0; i < n; i++)
            {
                var k = random.Next(n);
                l[i] = labels[k];
                s[i] = model[k];
                b[i] = baseline[k];
            }

            var mm = MetricCalculator.Compute(task, l, s, threshold);
            var bm = MetricCalculator.Compute(task, l, b, threshold);
            foreach (var metric in metrics)
            {
                var v = mm.GetValueOrDefault(metric, double.NaN);
                if (!double.IsNaN(v))
                {
                    modelDraws[metric].Add(v);
                }

                var g = GateEvaluator.Gain(task, metric, v, bm.GetValueOrDefault(metric, double.NaN));
                if (!double.IsNaN(g))
                {
                    gainDraws[metric].Add(g);
                }
            }
        }

        var alpha = (1 - confidence) / 2;
        return (
            modelDraws.ToDictionary(kv => kv.Key, kv => Percentiles(kv.Value, alpha)),
            gainDraws.ToDictionary(kv => kv.Key, kv => Percentiles(kv.Value, alpha)));
    }

    private static (double, double) Percentiles(List<double> draws, double alpha)
    {
        if (draws.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        draws.Sort();
        double At(double q) => draws[Math.Clamp((int)Math.Floor(q * (draws.Count - 1)), 0, draws.Count - 1)];
        return (At(alpha), At(1 - alpha));
    }
}
