using System.Text.Json.Nodes;
using Tollgate.Core.Reports;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Comparison;
using Tollgate.Modeling.Evaluation;
using Tollgate.Modeling.Stages;

namespace Tollgate.Modeling.Reports;

/// <summary><c>compare-previous/report.html</c>: gates, metric deltas, the delta histogram, flips, top changes, importances.</summary>
public static class ComparePreviousHtml
{
    /// <summary>The report of a skipped comparison (first release), written with its HTML page.</summary>
    public static StageReport Skipped(ModelingContext context, string summary)
    {
        ArgumentNullException.ThrowIfNull(context);
        var report = new StageReport
        {
            Stage = StageName.ComparePrevious,
            Model = context.Spec.Name,
            Outcome = StageOutcome.Skipped,
            StartedAt = context.Time.GetUtcNow(),
            FinishedAt = context.Time.GetUtcNow(),
            Summary = summary,
            Outputs = ["report.html"],
            Details = new JsonObject { ["reason"] = "no-production-model" },
        };
        new HtmlReport($"Compare-Previous — {report.Model}").Outcome(report.Outcome, summary)
            .Save(Path.Combine(context.Run.StageDir(StageName.ComparePrevious), "report.html"));
        RunSummaryHtml.Write(context.Run, report);
        return report;
    }

    public static void Write(
        string path,
        StageReport report,
        PredictionDiff diff,
        ComparePreviousOptions options,
        IReadOnlyList<FeatureImportance> candidate,
        IReadOnlyList<FeatureImportance> production,
        IReadOnlyList<FeatureImportance>? dropColumn)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(production);
        var metricNames = report.Metrics.Keys.Where(k => k.StartsWith("candidate.", StringComparison.Ordinal)).Select(k => k["candidate.".Length..]).ToList();
        var features = candidate.Select(f => f.Feature).Union(production.Select(f => f.Feature)).ToList();
        var html = new HtmlReport($"Compare-Previous — {report.Model}", $"{report.Details?["comparedRows"]} rows compared")
            .Outcome(report.Outcome, report.Summary)
            .Checks(report.Checks)
            .Heading("Metrics: candidate vs production")
            .Table(
                ["metric", "candidate", "production", "delta"],
                metricNames.Select(m => (IReadOnlyList<object?>)[m, report.Metrics["candidate." + m], report.Metrics["production." + m], report.Metrics["delta." + m]]))
            .Heading("Prediction by prediction")
            .Table(
                ["rows", "flip rate", "positive→negative", "negative→positive", $"share |Δ| > {GateEvaluator.F(options.LargeChange)}"],
                [[diff.Count, diff.FlipRate, diff.PositiveToNegative, diff.NegativeToPositive, diff.ShareAbove(options.LargeChange)]])
            .Charts(
                CurveCharts.Histogram("Score change (candidate − production)", "Δ score", [("rows", diff.Delta)], bins: 40),
                SvgChart.Bars(
                    "Permutation importance share",
                    "share of importance",
                    features,
                    [
                        ("candidate", [.. features.Select(f => candidate.FirstOrDefault(c => c.Feature == f)?.Share ?? 0)]),
                        ("production", [.. features.Select(f => production.FirstOrDefault(c => c.Feature == f)?.Share ?? 0)]),
                    ]))
            .Heading($"Largest changes (top {options.TopChanges}; all rows in {PredictionDiff.FileName})")
            .Table(
                ["key", "timestamp", "label", "production", "candidate", "delta", "flip"],
                diff.LargestChanges().Take(options.TopChanges).Select(i => (IReadOnlyList<object?>)[diff.Keys[i], diff.Timestamps[i].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), diff.Labels[i], diff.Production[i], diff.Candidate[i], diff.Delta[i], diff.Flip(i)]))
            .Heading("Feature importance")
            .Table(
                ["feature", "candidate drop", "candidate share", "candidate rank", "production share", "production rank"],
                features.Select(f =>
                {
                    var c = candidate.FirstOrDefault(x => x.Feature == f);
                    var p = production.FirstOrDefault(x => x.Feature == f);
                    return (IReadOnlyList<object?>)[f, c?.Drop, c?.Share, c?.Rank, p?.Share, p?.Rank];
                }));
        if (dropColumn is not null)
        {
            html.Heading("Drop-column importance (retrained without each feature)")
                .Table(["feature", "quality lost", "share", "rank"], dropColumn.Select(f => (IReadOnlyList<object?>)[f.Feature, f.Drop, f.Share, f.Rank]));
        }

        html.Save(path);
    }
}
