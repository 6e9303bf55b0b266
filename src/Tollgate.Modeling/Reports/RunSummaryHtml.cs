using Tollgate.Core.Reports;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;

namespace Tollgate.Modeling.Reports;

/// <summary>
/// <c>&lt;run&gt;/summary.html</c>: one page for reviewers with every finished stage of the run in chain order — outcome,
/// summary, headline figures — linking each stage's own report.html. Rewritten by each modelling stage as it finishes.
/// </summary>
public static class RunSummaryHtml
{
    public const string FileName = "summary.html";

    private static readonly string[] Headline = ["trainRows", "holdoutRows", "auc", "baseline.auc", "rmse", "baseline.rmse", "flipRate", "threshold", "precision", "recall"];

    /// <summary>Writes the page; <paramref name="current"/> is the report of the stage finishing now (its report.json comes after).</summary>
    public static void Write(RunDirectory run, StageReport current)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(current);
        var html = new HtmlReport($"Run {run.RunId}", $"model {current.Model} — every stage's report, in chain order");
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var stage in StageName.Chain)
        {
            var report = stage == current.Stage ? current : run.TryReadReport(stage);
            if (report is null)
            {
                continue;
            }

            var figures = string.Join(", ", Headline.Where(report.Metrics.ContainsKey).Select(k => $"{k} {Evaluation.GateEvaluator.F(report.Metrics[k])}"));
            rows.Add([stage, report.Outcome.ToString(), report.Summary, figures]);
        }

        html.Table(["stage", "outcome", "summary", "figures"], rows).Heading("Stage reports");
        foreach (var stage in StageName.Chain.Where(s => File.Exists(Path.Combine(run.Root, s, "report.html")) || s == current.Stage))
        {
            html.Link($"{stage}: report.html", $"{stage}/report.html");
        }

        if (Directory.Exists(run.CandidateDir))
        {
            html.Paragraph("Release candidate: candidate/model.zip with candidate.json (metadata, holdout and baseline metrics, threshold).");
        }

        html.Save(Path.Combine(run.Root, FileName));
    }
}
