using System.Globalization;
using Tollgate.Core.Reports;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Data.Checks;
using Tollgate.Data.Contracts;
using Tollgate.Data.History;
using Tollgate.Data.Profiles;
using Tollgate.Data.Stage;

namespace Tollgate.Data.Reports;

/// <summary>
/// <c>validate-data/report.html</c>: errors first, then warnings, then a compact pass list; reference-vs-current
/// distribution plots for every drifted feature; the accepted history over time; what happened to each dump.
/// </summary>
public static class ValidateDataHtml
{
    private const int MaxDriftPlots = 12;

    public static void Write(
        string path,
        ValidateDataResult result,
        ModelSpec spec,
        DataContract contract,
        ProfileHistory history,
        IReadOnlyDictionary<string, DumpProfile> scanned)
    {
        var html = new HtmlReport($"Validate-Data · {spec.Name}", $"contract {spec.ContractPath} · {result.Dumps.Count} dump(s) in {spec.IncomingPath}");
        html.Outcome(result.Outcome, result.Summary);
        html.Heading("Checks").Checks(result.Checks);

        var drifted = result.Checks
            .Where(c => c.Status == CheckStatus.Failed && c.Id is CheckIds.Drift or CheckIds.SkewReceived && c.Column is not null)
            .Take(MaxDriftPlots)
            .ToList();
        if (drifted.Count > 0)
        {
            html.Heading("Drifted features: reference vs current");
            var charts = new List<string>();
            foreach (var check in drifted)
            {
                var dumpFile = check.Message.Split(':')[0];
                var current = scanned.GetValueOrDefault(dumpFile);
                if (current?.Column(check.Column!) is not { } cur)
                {
                    continue;
                }

                var recent = history.Recent(current.File, HistoryChecks.DefaultWindow);
                if (recent.Count == 0)
                {
                    continue;
                }

                var reference = HistoryChecks.Reference(recent, contract).Column(check.Column!);
                if (reference is not null)
                {
                    charts.Add(Plot($"{check.Column} · {Path.GetFileName(dumpFile)}", reference, cur));
                }
            }

            html.Charts([.. charts]);
        }

        var timeline = history.All().ToList();
        if (timeline.Count > 1)
        {
            html.Heading("Accepted history");
            var x = timeline.Select((p, i) => Day(p) ?? i).ToList();
            var rows = timeline.Select(p => (double)p.Rows).ToList();
            var rate = Rolling(timeline, 30);
            html.Charts(
                SvgChart.Lines("Rows per dump", "day", "rows", [new ChartSeries("rows", x, rows)]),
                SvgChart.Lines($"'{spec.LabelColumn}' = {spec.PositiveClass} (rolling 30 dumps)", "day", "share", [new ChartSeries("positive rate", x, rate)], yRange: (0, 1)));
            html.Paragraph("x axis: days since 0001-01-01 of each dump's first timestamp. Rising positive rate = label drift (the bank example moves from about 5% to 52%).");
        }

        var notable = result.Dumps.Where(d => d.Status == "quarantined" || d.FailedWarnings.Count > 0).Take(200).ToList();
        html.Heading($"Dumps ({result.Dumps.Count(d => d.Status == "accepted")} new, {result.Dumps.Count(d => d.Status == "known")} known, {result.Dumps.Count(d => d.Status == "quarantined")} quarantined)");
        if (notable.Count > 0)
        {
            html.Table(
                ["dump", "status", "rows", "errors", "warnings", "moved to"],
                notable.Select(d => (IReadOnlyList<object?>)[d.File, d.Status, d.Rows, string.Join(", ", d.FailedErrors), string.Join(", ", d.FailedWarnings), d.QuarantinedTo]));
        }
        else
        {
            html.Paragraph("Every dump passed every check.");
        }

        if (result.Profile is { } profile)
        {
            html.Heading($"Profile of the accepted data ({profile.Rows:N0} rows)");
            html.Table(
                ["column", "kind", "count", "null/missing", "mean", "p1", "median", "p99", "top category"],
                profile.Columns.Select(c =>
                {
                    var s = c.Sketch();
                    var top = c.Categories?.OrderByDescending(k => k.Value[0]).FirstOrDefault();
                    return (IReadOnlyList<object?>)
                    [
                        c.Name, c.Kind, c.Count, c.Nulls + c.Missing,
                        c.Kind == "numeric" ? c.Mean : null,
                        c.Kind == "numeric" ? s.Quantile(0.01) : null,
                        c.Kind == "numeric" ? s.Quantile(0.5) : null,
                        c.Kind == "numeric" ? s.Quantile(0.99) : null,
                        top is { Key: not null } t ? $"{t.Key} ({t.Value[0] / (double)Math.Max(1, c.Count):P0})" : c.MinDate is null ? null : $"{c.MinDate} … {c.MaxDate}",
                    ];
                }));
        }

        html.Save(path);
    }

    /// <summary>Overlaid histogram (numeric, 20 bins over the reference's p1..p99) or grouped bars (categorical).</summary>
    public static string Plot(string title, ColumnProfile reference, ColumnProfile current)
    {
        if (reference.Kind == "numeric")
        {
            var r = reference.Sketch();
            var c = current.Sketch();
            var lo = Math.Min(r.Quantile(0.01), c.Quantile(0.01));
            var hi = Math.Max(r.Quantile(0.99), c.Quantile(0.99));
            if (!(hi > lo))
            {
                hi = lo + 1;
            }

            var edges = Enumerable.Range(0, 21).Select(i => lo + ((hi - lo) * i / 20)).ToList();
            return SvgChart.Histogram(title, reference.Name, edges, [("reference", Fractions(r, edges)), ("current", Fractions(c, edges))]);
        }

        var (keys, rs, cs, _, _) = Statistics.DistributionDistance.Shares(reference.Categories ?? new Dictionary<string, long[]>(), current.Categories ?? new Dictionary<string, long[]>());
        return SvgChart.Bars(title, "share of rows", keys, [("reference", rs), ("current", cs)]);
    }

    private static List<double> Fractions(QuantileSketch s, IReadOnlyList<double> edges)
    {
        var result = new List<double>();
        for (var i = 0; i + 1 < edges.Count; i++)
        {
            var a = i == 0 ? 0 : s.CdfAtKey(QuantileSketch.KeyOf(edges[i]));
            var b = i + 2 == edges.Count ? 1 : s.CdfAtKey(QuantileSketch.KeyOf(edges[i + 1]));
            result.Add(Math.Max(0, b - a));
        }

        return result;
    }

    private static double? Day(DumpProfile p) =>
        p.FirstTimestamp is { } t && DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.DayNumber : null;

    private static List<double> Rolling(List<DumpProfile> profiles, int window)
    {
        var result = new List<double>();
        for (var i = 0; i < profiles.Count; i++)
        {
            var slice = profiles.Skip(Math.Max(0, i - window + 1)).Take(Math.Min(window, i + 1)).ToList();
            var n = slice.Sum(p => p.LabelCount);
            result.Add(n == 0 ? double.NaN : slice.Sum(p => p.LabelPositive) / (double)n);
        }

        return result;
    }
}
