using Tollgate.Core.Specs;

namespace Tollgate.Modeling.Evaluation;

/// <summary>
/// Holdout metrics computed from labels and scores, so models and naive baselines are measured by the very same code.
/// Binary: auc, prAuc, f1, precision, recall, accuracy (at the threshold), logLoss, brier. Regression: rmse, mae, r2,
/// mape (percent, over rows with a non-zero target).
/// </summary>
public static class MetricCalculator
{
    private const double Epsilon = 1e-15;

    public static Dictionary<string, double> Compute(TaskKind task, IReadOnlyList<float> labels, IReadOnlyList<double> scores, double threshold = 0.5) =>
        task == TaskKind.Regression ? Regression(labels, scores) : Binary(labels, scores, threshold);

    public static Dictionary<string, double> Binary(IReadOnlyList<float> labels, IReadOnlyList<double> scores, double threshold)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        var curve = ThresholdCurve.Build(labels, scores);
        var cm = ConfusionMatrix.At(labels, scores, threshold);
        double logLoss = 0, brier = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = Math.Clamp(scores[i], Epsilon, 1 - Epsilon);
            var y = labels[i] > 0.5f ? 1.0 : 0.0;
            logLoss -= (y * Math.Log(p)) + ((1 - y) * Math.Log(1 - p));
            brier += (scores[i] - y) * (scores[i] - y);
        }

        var n = Math.Max(1, labels.Count);
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["auc"] = curve.Auc(),
            ["prAuc"] = curve.AveragePrecision(),
            ["f1"] = cm.F1,
            ["precision"] = cm.Precision,
            ["recall"] = cm.Recall,
            ["accuracy"] = cm.Accuracy,
            ["logLoss"] = logLoss / n,
            ["brier"] = brier / n,
        };
    }

    public static Dictionary<string, double> Regression(IReadOnlyList<float> labels, IReadOnlyList<double> predictions)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        var n = labels.Count;
        var mean = n == 0 ? 0 : labels.Average(v => (double)v);
        double sse = 0, sae = 0, sst = 0, ape = 0;
        var apeRows = 0;
        for (var i = 0; i < n; i++)
        {
            var e = predictions[i] - labels[i];
            sse += e * e;
            sae += Math.Abs(e);
            sst += (labels[i] - mean) * (labels[i] - mean);
            if (labels[i] != 0)
            {
                ape += Math.Abs(e / labels[i]);
                apeRows++;
            }
        }

        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["rmse"] = n == 0 ? double.NaN : Math.Sqrt(sse / n),
            ["mae"] = n == 0 ? double.NaN : sae / n,
            ["r2"] = sst == 0 ? double.NaN : 1 - (sse / sst),
            ["mape"] = apeRows == 0 ? double.NaN : 100 * ape / apeRows,
        };
    }
}
