using System.Globalization;
using System.Text;
using Tollgate.Core.Reports;
using Tollgate.Tracking.Entities;
using Tollgate.Tracking.Publishing;

namespace Tollgate.Tracking.Comparison;

/// <summary>
/// The reviewers' side-by-side of a candidate run against the champion's run, in Markdown and HTML: metrics with deltas
/// and gate verdicts, the params that differ, and the data period and volume of both.
/// </summary>
public static class ChampionComparison
{
    private static readonly string[] DataParams = ["data.period.start", "data.period.end", "data.rows", "data.files", "data.bytes", "data.sha256"];

    public static (string Markdown, string Html) Render(RunPayload candidate, string candidateRunId, TrackedRun champion, ModelVersionInfo championVersion)
    {
        var metricRows = MetricRows(candidate, champion);
        var paramRows = candidate.Params.Keys.Union(champion.Params.Keys)
            .Where(k => !DataParams.Contains(k, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(k => (Key: k, Champion: champion.Params.GetValueOrDefault(k), Candidate: candidate.Params.GetValueOrDefault(k)))
            .Where(r => r.Champion != r.Candidate)
            .ToList();
        var dataRows = DataParams
            .Select(k => (Key: k, Champion: champion.Params.GetValueOrDefault(k), Candidate: candidate.Params.GetValueOrDefault(k)))
            .Where(r => r.Champion is not null || r.Candidate is not null)
            .Select(r => (r.Key, r.Champion, r.Candidate, Delta: NumericDelta(r.Champion, r.Candidate)))
            .ToList();
        var title = $"{candidate.Model}: candidate {candidate.TollgateRunId} vs champion v{championVersion.Version}";
        var subtitle = $"candidate MLflow run {candidateRunId} · champion MLflow run {champion.RunId} ({champion.Tags.GetValueOrDefault("tollgate.run_id") ?? champion.RunName})";

        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# {title}\n\n{subtitle}\n\n## Metrics\n\n");
        md.Append("| metric | champion | candidate | delta | gate |\n|---|---:|---:|---:|---|\n");
        foreach (var r in metricRows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Cell(r.Key)} | {Num(r.Champion)} | {Num(r.Candidate)} | {Signed(r.Delta)} | {Cell(r.Gate)} |\n");
        }

        md.Append("\n## Parameters that differ\n\n");
        if (paramRows.Count == 0)
        {
            md.Append("None: same configuration.\n");
        }
        else
        {
            md.Append("| param | champion | candidate |\n|---|---|---|\n");
            foreach (var r in paramRows)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(r.Key)} | {Cell(r.Champion ?? "—")} | {Cell(r.Candidate ?? "—")} |\n");
            }
        }

        md.Append("\n## Data period and volume\n\n| | champion | candidate | delta |\n|---|---|---|---:|\n");
        foreach (var r in dataRows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {r.Key} | {Cell(r.Champion ?? "—")} | {Cell(r.Candidate ?? "—")} | {Signed(r.Delta)} |\n");
        }

        var html = new HtmlReport(title, subtitle)
            .Heading("Metrics")
            .Table(["metric", "champion", "candidate", "delta", "gate"], metricRows.Select(r => (IReadOnlyList<object?>)[r.Key, r.Champion, r.Candidate, r.Delta, r.Gate]))
            .Heading("Parameters that differ");
        if (paramRows.Count == 0)
        {
            html.Paragraph("None: same configuration.");
        }
        else
        {
            html.Table(["param", "champion", "candidate"], paramRows.Select(r => (IReadOnlyList<object?>)[r.Key, r.Champion ?? "—", r.Candidate ?? "—"]));
        }

        html.Heading("Data period and volume")
            .Table(["", "champion", "candidate", "delta"], dataRows.Select(r => (IReadOnlyList<object?>)[r.Key, r.Champion ?? "—", r.Candidate ?? "—", r.Delta]));
        return (md.ToString(), html.ToHtml());
    }

    private static List<(string Key, double? Champion, double? Candidate, double? Delta, string Gate)> MetricRows(RunPayload candidate, TrackedRun champion) =>
        candidate.Metrics.Keys.Union(champion.Metrics.Keys)
            .Order(StringComparer.Ordinal)
            .Select(k =>
            {
                double? a = champion.Metrics.TryGetValue(k, out var x) ? x : null;
                double? b = candidate.Metrics.TryGetValue(k, out var y) ? y : null;
                double? delta = a is { } av && b is { } bv && double.IsFinite(av) && double.IsFinite(bv) ? bv - av : null;
                return (k, a, b, delta, GateText(candidate.Gates, k));
            })
            // What a reviewer decides on comes first: gated metrics, then holdout and gains, then the rest.
            .OrderBy(r => r.Item5.Length == 0)
            .ThenBy(r => r.k.StartsWith("holdout.", StringComparison.Ordinal) || r.k.StartsWith("gain.", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(r => r.k, StringComparer.Ordinal)
            .ToList();

    private static string GateText(IReadOnlyList<GateVerdict> gates, string metricKey)
    {
        var name = metricKey[(metricKey.LastIndexOf('.') + 1)..];
        var stage = metricKey.Contains('.', StringComparison.Ordinal) ? metricKey[..metricKey.IndexOf('.', StringComparison.Ordinal)] : string.Empty;
        var matching = gates.Where(g => g.Metric == name && (g.Stage == stage || stage is "holdout" or "gain" || !metricKey.Contains('.', StringComparison.Ordinal)));
        return string.Join("; ", matching.Select(g => $"{g.Status.ToLowerInvariant()} {g.Id}" + (g.Expected is null ? string.Empty : $" (expected {g.Expected})")).Distinct());
    }

    private static double? NumericDelta(string? a, string? b) =>
        double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            ? y - x
            : null;

    private static string Num(double? v) => v is { } d ? d.ToString("0.####", CultureInfo.InvariantCulture) : "—";

    private static string Signed(double? v) => v is { } d ? d.ToString("+0.####;-0.####;0", CultureInfo.InvariantCulture) : string.Empty;

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
