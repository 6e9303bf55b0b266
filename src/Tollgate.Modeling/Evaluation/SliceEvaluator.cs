using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Data;

namespace Tollgate.Modeling.Evaluation;

/// <summary>
/// Metrics per slice group and the slice gates: a minimum per group (groups smaller than the slice's minimum rows, or
/// where the metric is undefined, are reported as skipped) and a maximum disparity (largest minus smallest value across
/// the gated groups) — e.g. the gap in recall or in positive rate between groups.
/// </summary>
public static class SliceEvaluator
{
    public static IReadOnlyList<SliceResult> Evaluate(ModelSpec spec, IReadOnlyList<SliceSpec> slices, ModelTable holdout, IReadOnlyList<double> scores, double threshold)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(holdout);
        ArgumentNullException.ThrowIfNull(scores);
        var results = new List<SliceResult>();
        foreach (var slice in slices)
        {
            var text = holdout.ColumnText(slice.Column);
            var numeric = holdout.NumericColumn(slice.Column);
            var groups = Enumerable.Range(0, holdout.Count)
                .GroupBy(i => slice.GroupOf(text[i], numeric?[i]))
                .Select(g =>
                {
                    var idx = g.ToArray();
                    var labels = idx.Select(i => holdout.Labels[i]).ToArray();
                    var s = idx.Select(i => scores[i]).ToArray();
                    var m = MetricCalculator.Compute(spec.Task, labels, s, threshold);
                    if (spec.Task == TaskKind.BinaryClassification)
                    {
                        m[SliceSpec.PositiveRate] = s.Count(v => v >= threshold) / (double)s.Length;
                    }

                    return new SliceGroup(g.Key, idx.Length, labels.Count(l => l > 0.5f), m);
                })
                .OrderByDescending(g => g.Rows)
                .ThenBy(g => g.Value, StringComparer.Ordinal)
                .ToList();
            results.Add(new SliceResult(slice.Name, groups, Checks(spec, slice, groups)));
        }

        return results;
    }

    private static List<CheckResult> Checks(ModelSpec spec, SliceSpec slice, List<SliceGroup> groups)
    {
        var checks = new List<CheckResult>();
        var gated = groups.Where(g => g.Rows >= slice.MinimumRows).ToList();
        foreach (var (metric, min) in slice.Minimum)
        {
            foreach (var g in groups)
            {
                var id = $"slice.{slice.Column}.{metric}.minimum";
                var v = g.Metrics.GetValueOrDefault(metric, double.NaN);
                var where = $"slice {slice.Column} = {g.Value}";
                if (g.Rows < slice.MinimumRows || Undefined(spec, metric, g, v))
                {
                    checks.Add(new CheckResult(id, Severity.Warning, CheckStatus.Skipped,
                        $"{where}: {metric} not gated ({g.Rows} rows, {g.Positives} positive; needs {slice.MinimumRows} rows and a defined value).",
                        slice.Column, GateEvaluator.F(v), $">= {GateEvaluator.F(min)}"));
                    continue;
                }

                var higher = MetricCatalog.HigherIsBetter(spec.Task, metric);
                var ok = higher ? v >= min : v <= min;
                checks.Add(new CheckResult(id, Severity.Error, ok ? CheckStatus.Passed : CheckStatus.Failed,
                    ok
                        ? $"{where}: {metric} {GateEvaluator.F(v)} meets {GateEvaluator.F(min)} ({g.Rows} rows)."
                        : $"{where}: {metric} {GateEvaluator.F(v)} misses the slice minimum {GateEvaluator.F(min)} by {GateEvaluator.F(Math.Abs(min - v))} ({g.Rows} rows); the model serves this group worse than required.",
                    slice.Column, GateEvaluator.F(v), $"{(higher ? ">=" : "<=")} {GateEvaluator.F(min)}"));
            }
        }

        foreach (var (metric, maxGap) in slice.MaximumDisparity)
        {
            var values = gated
                .Select(g => (g.Value, V: g.Metrics.GetValueOrDefault(metric, double.NaN)))
                .Where(p => !double.IsNaN(p.V) && !Undefined(spec, metric, groups.First(g => g.Value == p.Value), p.V))
                .ToList();
            var id = $"slice.{slice.Column}.{metric}.disparity";
            if (values.Count < 2)
            {
                checks.Add(new CheckResult(id, Severity.Warning, CheckStatus.Skipped,
                    $"slice {slice.Column}: fewer than two groups with {slice.MinimumRows}+ rows, so the {metric} disparity cannot be measured.", slice.Column));
                continue;
            }

            var hi = values.MaxBy(p => p.V);
            var lo = values.MinBy(p => p.V);
            var gap = hi.V - lo.V;
            var ok = gap <= maxGap;
            checks.Add(new CheckResult(id, Severity.Error, ok ? CheckStatus.Passed : CheckStatus.Failed,
                ok
                    ? $"slice {slice.Column}: {metric} gap {GateEvaluator.F(gap)} across groups is within {GateEvaluator.F(maxGap)}."
                    : $"slice {slice.Column}: {metric} ranges from {GateEvaluator.F(lo.V)} ({lo.Value}) to {GateEvaluator.F(hi.V)} ({hi.Value}), a gap of {GateEvaluator.F(gap)} above the allowed {GateEvaluator.F(maxGap)}; the groups are treated unequally.",
                slice.Column, GateEvaluator.F(gap), $"<= {GateEvaluator.F(maxGap)}"));
        }

        return checks;
    }

    // Recall, AUC and PR-AUC need positives (AUC also negatives); a group without them cannot be judged on those metrics.
    private static bool Undefined(ModelSpec spec, string metric, SliceGroup g, double v) =>
        double.IsNaN(v)
        || (spec.Task == TaskKind.BinaryClassification && metric is "recall" or "auc" or "prAuc" or "f1" && g.Positives == 0)
        || (spec.Task == TaskKind.BinaryClassification && metric == "auc" && g.Positives == g.Rows);
}
