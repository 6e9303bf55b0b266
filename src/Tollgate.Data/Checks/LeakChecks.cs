using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Data.Contracts;
using Tollgate.Data.Profiles;
using Tollgate.Data.Statistics;

namespace Tollgate.Data.Checks;

/// <summary>
/// Label leakage in the training data: a feature that predicts the label almost on its own (univariate AUC above the
/// threshold, default 0.75) is almost always information from after the outcome — like <c>duration</c>, known only
/// when the call has ended. Computed on all accepted data pooled, so small dumps do not add noise.
/// </summary>
public static class LeakChecks
{
    /// <summary>Univariate AUC: sketches by label class for numbers, target-encoded categories otherwise.</summary>
    public static double Association(ColumnProfile c) =>
        c.Kind == "numeric"
            ? DistributionDistance.Auc(QuantileSketch.From(c.SketchPositive), QuantileSketch.From(c.SketchNegative))
            : c.Categories is null ? double.NaN : DistributionDistance.Auc(c.Categories);

    public static void Evaluate(CheckList checks, DumpProfile pooled, ModelSpec spec)
    {
        foreach (var feature in spec.AllFeatures)
        {
            var rule = checks.Contract.Settings(CustomCheck.Leak, feature);
            if (rule is { Enabled: false })
            {
                continue;
            }

            var severity = rule?.Severity ?? Severity.Error;
            var threshold = rule?.Number("maxAuc", 0.75) ?? 0.75;
            var minClass = rule?.Number("minClassRows", 50) ?? 50;
            var column = pooled.Column(feature);
            if (column is null)
            {
                continue;
            }

            var negatives = pooled.LabelCount - pooled.LabelPositive;
            if (pooled.LabelPositive < minClass || negatives < minClass)
            {
                checks.Skip(CheckIds.Leak, severity, $"{checks.File}: {pooled.LabelPositive} positive / {negatives} negative rows accepted; the leak check needs {minClass} of each.", feature);
                continue;
            }

            var auc = Association(column);
            var observed = $"AUC {auc:0.###}";
            var expected = $"≤ {threshold}";
            if (double.IsFinite(auc) && auc > threshold)
            {
                checks.Fail(CheckIds.Leak, severity,
                    $"{spec.SpecPath}: feature '{feature}' alone predicts '{spec.LabelColumn}' with AUC {auc:0.###} over {pooled.Rows:N0} accepted rows (limit {threshold}): it almost certainly leaks the label (known only after the outcome). Move it to 'excluded:' in model.yaml.",
                    feature, observed, expected);
            }
            else
            {
                checks.Pass(CheckIds.Leak, severity, $"feature '{feature}' label association {observed} over {pooled.Rows:N0} rows.", feature, observed, expected);
            }
        }
    }
}
