using System.Globalization;
using System.Net;
using System.Text;
using Tollgate.Core.Stages;

namespace Tollgate.Core.Reports;

/// <summary>
/// A small, dependency-free HTML page builder for stage reports: headings, paragraphs, tables, check lists (errors
/// first) and inline SVG charts. One self-contained file that opens anywhere, including as an MLflow artifact.
/// </summary>
public sealed class HtmlReport
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2328;padding:0 1rem}
        h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
        .sub{color:#57606a;margin-top:0}.badge{display:inline-block;padding:.15rem .6rem;border-radius:1rem;font-weight:600;color:#fff}
        .passed{background:#1a7f37}.rejected{background:#cf222e}.skipped{background:#6e7781}
        table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
        th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .err{color:#cf222e;font-weight:600}.warn{color:#9a6700;font-weight:600}.ok{color:#1a7f37}
        .charts{display:flex;flex-wrap:wrap;gap:1rem}.chart{border:1px solid #d0d7de;border-radius:6px;padding:.5rem;background:#fff}
        details{margin:.5rem 0}code{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}
        """;

    private readonly StringBuilder body = new();

    public HtmlReport(string title, string? subtitle = null)
    {
        Title = title;
        body.Append("<h1>").Append(Encode(title)).Append("</h1>");
        if (subtitle is not null)
        {
            body.Append("<p class=\"sub\">").Append(Encode(subtitle)).Append("</p>");
        }
    }

    public string Title { get; }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    public HtmlReport Outcome(StageOutcome outcome, string summary)
    {
        var css = outcome.ToString().ToLowerInvariant();
        body.Append("<p><span class=\"badge ").Append(css).Append("\">").Append(outcome.ToString().ToUpperInvariant())
            .Append("</span> ").Append(Encode(summary)).Append("</p>");
        return this;
    }

    public HtmlReport Heading(string text)
    {
        body.Append("<h2>").Append(Encode(text)).Append("</h2>");
        return this;
    }

    public HtmlReport Paragraph(string text)
    {
        body.Append("<p>").Append(Encode(text)).Append("</p>");
        return this;
    }

    /// <summary>Appends trusted HTML produced by this codebase (e.g. an <see cref="SvgChart"/>).</summary>
    public HtmlReport Raw(string html)
    {
        body.Append(html);
        return this;
    }

    public HtmlReport Link(string text, string href)
    {
        body.Append("<p><a href=\"").Append(Encode(href)).Append("\">").Append(Encode(text)).Append("</a></p>");
        return this;
    }

    /// <summary>A table; numeric cells (double/int/long) are right-aligned and formatted to 4 significant decimals.</summary>
    public HtmlReport Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows)
    {
        body.Append("<table><thead><tr>");
        foreach (var h in headers)
        {
            body.Append("<th>").Append(Encode(h)).Append("</th>");
        }

        body.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            body.Append("<tr>");
            foreach (var cell in row)
            {
                var (text, numeric) = Format(cell);
                body.Append(numeric ? "<td class=\"num\">" : "<td>").Append(Encode(text)).Append("</td>");
            }

            body.Append("</tr>");
        }

        body.Append("</tbody></table>");
        return this;
    }

    /// <summary>Checks as the reader needs them: errors first, then warnings, then a compact list of what passed.</summary>
    public HtmlReport Checks(IReadOnlyList<CheckResult> checks)
    {
        var errors = checks.Where(c => c.IsBlocking).ToList();
        var warnings = checks.Where(c => c.Status == CheckStatus.Failed && c.Severity != Severity.Error).ToList();
        var passed = checks.Where(c => c.Status != CheckStatus.Failed).ToList();
        CheckTable($"Errors ({errors.Count})", "err", errors, open: true);
        CheckTable($"Warnings ({warnings.Count})", "warn", warnings, open: true);
        CheckTable($"Passed or skipped ({passed.Count})", "ok", passed, open: false);
        return this;
    }

    public HtmlReport Charts(params string[] svgs)
    {
        body.Append("<div class=\"charts\">");
        foreach (var svg in svgs)
        {
            body.Append("<div class=\"chart\">").Append(svg).Append("</div>");
        }

        body.Append("</div>");
        return this;
    }

    public string ToHtml() =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Encode(Title)}</title><style>{Style}</style></head><body>{body}</body></html>";

    public void Save(string path) => IO.AtomicFile.WriteAllText(path, ToHtml());

    private void CheckTable(string title, string css, List<CheckResult> checks, bool open)
    {
        body.Append(open && checks.Count > 0 ? "<details open>" : "<details>")
            .Append("<summary class=\"").Append(css).Append("\">").Append(Encode(title)).Append("</summary>");
        if (checks.Count > 0)
        {
            Table(
                ["check", "column", "observed", "expected", "message"],
                checks.Select(c => (IReadOnlyList<object?>)[c.Id, c.Column, c.Observed, c.Expected, c.Message]));
        }

        body.Append("</details>");
    }

    private static (string Text, bool Numeric) Format(object? cell) => cell switch
    {
        null => (string.Empty, false),
        double d when double.IsNaN(d) => ("NaN", true),
        double d => (d.ToString(Math.Abs(d) >= 1000 ? "N0" : "0.####", CultureInfo.InvariantCulture), true),
        float f => (((double)f).ToString("0.####", CultureInfo.InvariantCulture), true),
        int or long => (Convert.ToString(cell, CultureInfo.InvariantCulture)!, true),
        IFormattable f => (f.ToString(null, CultureInfo.InvariantCulture), false),
        _ => (cell.ToString() ?? string.Empty, false),
    };
}
