using System.Globalization;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;

namespace Tollgate.Modeling.Evaluation;

/// <summary>
/// Applies model.yaml's <c>gates</c> to holdout metrics: absolute minimums and maximums, and the least gain over the naive
/// baseline in each metric's better direction. A metric that could not be computed (NaN) fails its gate: gates fail closed.
/// </summary>
public static class GateEvaluator
{
    public static List<CheckResult> Evaluate(
        TaskKind task,
        GateSpec gates,
        IReadOnlyDictionary<string, double> model,
        IReadOnlyDictionary<string, double> baseline,
        IReadOnlyDictionary<string, (double Low, double High)>? gainIntervals = null)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(baseline);
        var checks = new List<CheckResult>();
        foreach (var (metric, min) in gates.Minimum)
        {
            var v = model.GetValueOrDefault(metric, double.NaN);
            var ok = v >= min;
            checks.Add(new CheckResult(
                $"gate.{metric}.minimum",
                Severity.Error,
                ok ? CheckStatus.Passed : CheckStatus.Failed,
                ok
                    ? $"{metric} {F(v)} meets the minimum {F(min)} (margin {F(v - min)})."
                    : double.IsNaN(v)
                        ? $"{metric} could not be computed on the holdout, so the minimum {F(min)} is not met (gates fail closed)."
                        : $"{metric} {F(v)} is below the minimum {F(min)} by {F(min - v)}; the model is not good enough to release.",
                metric,
                F(v),
                $">= {F(min)}"));
        }

        foreach (var (metric, max) in gates.Maximum)
        {
            var v = model.GetValueOrDefault(metric, double.NaN);
            var ok = v <= max;
            checks.Add(new CheckResult(
                $"gate.{metric}.maximum",
                Severity.Error,
                ok ? CheckStatus.Passed : CheckStatus.Failed,
                ok
                    ? $"{metric} {F(v)} is within the maximum {F(max)} (margin {F(max - v)})."
                    : double.IsNaN(v)
                        ? $"{metric} could not be computed on the holdout, so the maximum {F(max)} is not met (gates fail closed)."
                        : $"{metric} {F(v)} is above the maximum {F(max)} by {F(v - max)}; the model is not good enough to release.",
                metric,
                F(v),
                $"<= {F(max)}"));
        }

        foreach (var (metric, minGain) in gates.MinimumGainOverBaseline)
        {
            var v = model.GetValueOrDefault(metric, double.NaN);
            var b = baseline.GetValueOrDefault(metric, double.NaN);
            var gain = Gain(task, metric, v, b);
            var ok = gain >= minGain;
            var ci = gainIntervals is not null && gainIntervals.TryGetValue(metric, out var iv)
                ? $" (95% bootstrap interval of the gain {F(iv.Low)} to {F(iv.High)})"
                : string.Empty;
            checks.Add(new CheckResult(
                $"gate.{metric}.gainOverBaseline",
                Severity.Error,
                ok ? CheckStatus.Passed : CheckStatus.Failed,
                ok
                    ? $"{metric} {F(v)} beats the naive baseline's {F(b)} by {F(gain)}{ci}, at least the required {F(minGain)}."
                    : double.IsNaN(gain)
                        ? $"{metric} gain over the naive baseline could not be computed (model {F(v)}, baseline {F(b)}); gates fail closed."
                        : $"{metric} {F(v)} beats the naive baseline's {F(b)} by only {F(gain)}{ci}; the gate needs {F(minGain)}, short by {F(minGain - gain)}. The model is no better than guessing from the baseline.",
                metric,
                $"gain {F(gain)}",
                $">= {F(minGain)}"));
        }

        return checks;
    }

    /// <summary>Improvement over the baseline in the metric's better direction (positive = better).</summary>
    public static double Gain(TaskKind task, string metric, double model, double baseline) =>
        MetricCatalog.HigherIsBetter(task, metric) ? model - baseline : baseline - model;

    public static string F(double v) => double.IsNaN(v) ? "NaN" : v.ToString("0.####", CultureInfo.InvariantCulture);
}
