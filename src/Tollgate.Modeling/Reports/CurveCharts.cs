using Tollgate.Core.Reports;
using Tollgate.Modeling.Evaluation;

namespace Tollgate.Modeling.Reports;

/// <summary>The charts several modelling reports share: ROC and PR curves with a chosen point, reliability, histograms.</summary>
public static class CurveCharts
{
    /// <summary>ROC curve with the operating point at <paramref name="threshold"/> marked.</summary>
    public static string Roc(ThresholdCurve curve, double threshold, string label)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var x = new List<double> { 0 };
        var y = new List<double> { 0 };
        for (var k = 0; k < curve.Count; k++)
        {
            x.Add(curve.FalsePositiveRate(k));
            y.Add(curve.Recall(k));
        }

        var at = PointAt(curve, threshold);
        return SvgChart.Lines(
            $"ROC (AUC {GateEvaluator.F(curve.Auc())})",
            "false positive rate",
            "true positive rate (recall)",
            [new ChartSeries("model", Thin(x), Thin(y))],
            markers: at is { } k2 ? [(curve.FalsePositiveRate(k2), curve.Recall(k2), label)] : null,
            xRange: (0, 1),
            yRange: (0, 1),
            diagonal: true);
    }

    /// <summary>Precision-recall curve with the operating point at <paramref name="threshold"/> marked.</summary>
    public static string PrecisionRecall(ThresholdCurve curve, double threshold, string label, double? baseRate = null)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var x = new List<double>();
        var y = new List<double>();
        for (var k = 0; k < curve.Count; k++)
        {
            x.Add(curve.Recall(k));
            y.Add(curve.Precision(k));
        }

        var series = new List<ChartSeries> { new("model", Thin(x), Thin(y)) };
        if (baseRate is { } r)
        {
            series.Add(new ChartSeries("positive rate", [0, 1], [r, r], "#8c959f"));
        }

        var at = PointAt(curve, threshold);
        return SvgChart.Lines(
            $"Precision-recall (PR-AUC {GateEvaluator.F(curve.AveragePrecision())})",
            "recall",
            "precision",
            series,
            markers: at is { } k2 ? [(curve.Recall(k2), curve.Precision(k2), label)] : null,
            xRange: (0, 1),
            yRange: (0, 1));
    }

    public static string Reliability(IReadOnlyList<CalibrationBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        return SvgChart.Lines(
            $"Calibration (ECE {GateEvaluator.F(CalibrationBin.ExpectedError(bins))})",
            "mean predicted probability",
            "observed positive rate",
            [new ChartSeries("model", [.. bins.Select(b => b.MeanPredicted)], [.. bins.Select(b => b.ObservedRate)])],
            xRange: (0, 1),
            yRange: (0, 1),
            diagonal: true);
    }

    /// <summary>Overlaid histograms of several value sets over shared equal-width bins.</summary>
    public static string Histogram(string title, string xLabel, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> sets, int bins = 20, (double Min, double Max)? range = null)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var all = sets.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var (lo, hi) = range ?? (all.Min(), all.Max());
        if (!(hi > lo))
        {
            hi = lo + 1;
        }

        var edges = Enumerable.Range(0, bins + 1).Select(i => lo + ((hi - lo) * i / bins)).ToList();
        var series = sets.Select(s =>
        {
            var counts = new double[bins];
            foreach (var v in s.Values.Where(double.IsFinite))
            {
                counts[Math.Clamp((int)((v - lo) / (hi - lo) * bins), 0, bins - 1)]++;
            }

            var total = Math.Max(1, s.Values.Count);
            return (s.Name, (IReadOnlyList<double>)[.. counts.Select(c => c / total)]);
        }).ToList();
        return SvgChart.Histogram(title, xLabel, edges, series);
    }

    /// <summary>Index of the curve point for <paramref name="threshold"/>: the lowest distinct score still ≥ it.</summary>
    public static int? PointAt(ThresholdCurve curve, double threshold)
    {
        ArgumentNullException.ThrowIfNull(curve);
        int? best = null;
        for (var k = 0; k < curve.Count && curve.Thresholds[k] >= threshold; k++)
        {
            best = k;
        }

        return best;
    }

    // A curve over thousands of distinct scores draws no better than one over a few hundred points.
    private static List<double> Thin(List<double> values)
    {
        if (values.Count <= 600)
        {
            return values;
        }

        var step = values.Count / 500.0;
        var result = new List<double>();
        for (double i = 0; i < values.Count; i += step)
        {
            result.Add(values[(int)i]);
        }

        result.Add(values[^1]);
        return result;
    }
}
