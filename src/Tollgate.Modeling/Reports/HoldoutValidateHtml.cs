using Tollgate.Core.Reports;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Evaluation;

namespace Tollgate.Modeling.Reports;

/// <summary><c>holdout-validate/report.html</c>: gates first, then metrics with intervals, curves, calibration and slices.</summary>
public static class HoldoutValidateHtml
{
    public static void Write(
        string path,
        StageReport report,
        ModelSpec spec,
        IReadOnlyList<float> labels,
        IReadOnlyList<double> scores,
        IReadOnlyList<double> baseline,
        IReadOnlyList<CalibrationBin> calibration,
        IReadOnlyList<SliceResult> slices,
        IReadOnlyDictionary<string, (double Low, double High)> intervals)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(spec);
        var html = new HtmlReport($"Holdout-Validate — {report.Model}", report.Details?["baseline"]?.GetValue<string>())
            .Outcome(report.Outcome, report.Summary)
            .Checks(report.Checks)
            .Heading("Holdout metrics: model vs naive baseline")
            .Table(
                ["metric", "model", "interval low", "interval high", "baseline", "gain"],
                MetricCatalog.NamesFor(spec.Task).Select(m =>
                {
                    var v = report.Metrics.GetValueOrDefault(m, double.NaN);
                    var b = report.Metrics.GetValueOrDefault("baseline." + m, double.NaN);
                    var ci = intervals.TryGetValue(m, out var iv) ? iv : (double.NaN, double.NaN);
                    return (IReadOnlyList<object?>)[m, v, ci.Item1, ci.Item2, b, GateEvaluator.Gain(spec.Task, m, v, b)];
                }));
        if (spec.Task == TaskKind.BinaryClassification)
        {
            var curve = ThresholdCurve.Build(labels, scores);
            var cm = ConfusionMatrix.At(labels, scores, 0.5);
            html.Heading("Curves and calibration")
                .Charts(
                    CurveCharts.Roc(curve, 0.5, "threshold 0.5"),
                    CurveCharts.PrecisionRecall(curve, 0.5, "threshold 0.5", labels.Average(l => (double)l)),
                    CurveCharts.Reliability(calibration),
                    CurveCharts.Histogram(
                        "Scores by true class",
                        "predicted probability",
                        [
                            ("positive", [.. Enumerable.Range(0, labels.Count).Where(i => labels[i] > 0.5f).Select(i => scores[i])]),
                            ("negative", [.. Enumerable.Range(0, labels.Count).Where(i => labels[i] <= 0.5f).Select(i => scores[i])]),
                        ],
                        range: (0, 1)))
                .Heading("Confusion matrix at threshold 0.5")
                .Table(
                    ["", "predicted positive", "predicted negative"],
                    [
                        ["actual positive", cm.TruePositives, cm.FalseNegatives],
                        ["actual negative", cm.FalsePositives, cm.TrueNegatives],
                    ]);
        }
        else
        {
            html.Heading("Errors")
                .Charts(CurveCharts.Histogram(
                    "Prediction error (prediction − actual)",
                    spec.LabelColumn,
                    [
                        ("model", [.. Enumerable.Range(0, labels.Count).Select(i => scores[i] - labels[i])]),
                        ("baseline", [.. Enumerable.Range(0, labels.Count).Select(i => baseline[i] - labels[i])]),
                    ]),
                    SvgChart.Lines(
                        "Holdout in time order",
                        "holdout row",
                        spec.LabelColumn,
                        [
                            new ChartSeries("actual", [.. Enumerable.Range(0, labels.Count).Select(i => (double)i)], [.. labels.Select(l => (double)l)]),
                            new ChartSeries("model", [.. Enumerable.Range(0, labels.Count).Select(i => (double)i)], [.. scores]),
                            new ChartSeries("baseline", [.. Enumerable.Range(0, labels.Count).Select(i => (double)i)], [.. baseline]),
                        ]));
        }

        foreach (var slice in slices)
        {
            var metricNames = slice.Groups.SelectMany(g => g.Metrics.Keys).Distinct().ToList();
            html.Heading($"Slice: {slice.Name}")
                .Table(
                    ["group", "rows", "positives", .. metricNames],
                    slice.Groups.Select(g => (IReadOnlyList<object?>)[g.Value, g.Rows, g.Positives, .. metricNames.Select(m => (object?)g.Metrics.GetValueOrDefault(m, double.NaN))]));
        }

        html.Save(path);
    }
}
