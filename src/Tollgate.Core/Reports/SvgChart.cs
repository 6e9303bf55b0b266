using System.Globalization;
using System.Net;
using System.Text;

namespace Tollgate.Core.Reports;

/// <summary>
/// Plain SVG charts (lines, points, bars, overlaid histograms) with axes, ticks and a legend. No native
/// dependencies, so reports render the same on a CI runner and in a browser.
/// </summary>
public static class SvgChart
{
    private static readonly string[] Palette = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bc4c00", "#57606a"];

    private const int Width = 520;
    private const int Height = 340;
    private const int Left = 60;
    private const int Right = 20;
    private const int Top = 34;
    private const int Bottom = 50;

    /// <summary>Line chart; <paramref name="markers"/> are single highlighted points (e.g. the chosen threshold).</summary>
    public static string Lines(
        string title,
        string xLabel,
        string yLabel,
        IReadOnlyList<ChartSeries> series,
        IReadOnlyList<(double X, double Y, string Label)>? markers = null,
        (double Min, double Max)? xRange = null,
        (double Min, double Max)? yRange = null,
        bool diagonal = false)
    {
        var xs = series.SelectMany(s => s.X).Concat(markers?.Select(m => m.X) ?? []).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var ys = series.SelectMany(s => s.Y).Concat(markers?.Select(m => m.Y) ?? []).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var (x0, x1) = xRange ?? Pad(xs.Min(), xs.Max());
        var (y0, y1) = yRange ?? Pad(ys.Min(), ys.Max());
        var sb = Begin(title, xLabel, yLabel, x0, x1, y0, y1);
        if (diagonal)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Px(x0, x0, x1)}\" y1=\"{Py(y0, y0, y1)}\" x2=\"{Px(x1, x0, x1)}\" y2=\"{Py(y1, y0, y1)}\" stroke=\"#8c959f\" stroke-dasharray=\"4 4\"/>");
        }

        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var color = s.Color ?? Palette[i % Palette.Length];
            var points = string.Join(' ', Enumerable.Range(0, Math.Min(s.X.Count, s.Y.Count))
                .Where(k => double.IsFinite(s.X[k]) && double.IsFinite(s.Y[k]))
                .Select(k => $"{F(Px(s.X[k], x0, x1))},{F(Py(s.Y[k], y0, y1))}"));
            sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points}\"/>");
        }

        foreach (var (x, y, label) in markers ?? [])
        {
            sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(Px(x, x0, x1))}\" cy=\"{F(Py(y, y0, y1))}\" r=\"5\" fill=\"#cf222e\"/>")
              .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Px(x, x0, x1) + 8)}\" y=\"{F(Py(y, y0, y1) - 8)}\" font-size=\"11\">{E(label)}</text>");
        }

        return End(sb, series.Select((s, i) => (s.Name, s.Color ?? Palette[i % Palette.Length])).ToList());
    }

    /// <summary>Horizontal-label bar chart, one bar per category per series (grouped).</summary>
    public static string Bars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        var all = series.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var (y0, y1) = Pad(Math.Min(0, all.Min()), Math.Max(0, all.Max()));
        var sb = Begin(title, string.Empty, yLabel, 0, Math.Max(1, categories.Count), y0, y1, xTicks: false);
        var plotW = Width - Left - Right;
        var groupW = plotW / (double)Math.Max(1, categories.Count);
        var barW = groupW * 0.8 / Math.Max(1, series.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            for (var s = 0; s < series.Count; s++)
            {
                var v = c < series[s].Values.Count ? series[s].Values[c] : double.NaN;
                if (!double.IsFinite(v))
                {
                    continue;
                }

                var x = Left + (c * groupW) + (groupW * 0.1) + (s * barW);
                var yTop = Py(Math.Max(v, 0), y0, y1);
                var yBottom = Py(Math.Min(v, 0), y0, y1);
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(yTop)}\" width=\"{F(barW)}\" height=\"{F(Math.Max(0.5, yBottom - yTop))}\" fill=\"{Palette[s % Palette.Length]}\"><title>{E(categories[c])}: {F(v)}</title></rect>");
            }

            if (categories.Count <= 30)
            {
                var cx = Left + (c * groupW) + (groupW / 2);
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(cx)}\" y=\"{Height - Bottom + 14}\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-35 {F(cx)} {Height - Bottom + 14})\">{E(Truncate(categories[c], 18))}</text>");
            }
        }

        return End(sb, series.Select((s, i) => (s.Name, Palette[i % Palette.Length])).ToList());
    }

    /// <summary>Overlaid histograms (e.g. reference vs current distribution), drawn as step lines over shared bin edges.</summary>
    public static string Histogram(string title, string xLabel, IReadOnlyList<double> binEdges, IReadOnlyList<(string Name, IReadOnlyList<double> Fractions)> series)
    {
        var lines = series.Select((s, i) =>
        {
            var x = new List<double>();
            var y = new List<double>();
            for (var b = 0; b < s.Fractions.Count && b + 1 < binEdges.Count; b++)
            {
                x.Add(binEdges[b]);
                y.Add(s.Fractions[b]);
                x.Add(binEdges[b + 1]);
                y.Add(s.Fractions[b]);
            }

            return new ChartSeries(s.Name, x, y);
        }).ToList();
        var maxY = series.SelectMany(s => s.Fractions).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        return Lines(title, xLabel, "share of rows", lines, yRange: (0, maxY * 1.1 + 1e-9));
    }

    private static StringBuilder Begin(string title, string xLabel, string yLabel, double x0, double x1, double y0, double y1, bool xTicks = true)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"system-ui,sans-serif\">")
          .Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">{E(title)}</text>")
          .Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#d0d7de\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var yv = y0 + ((y1 - y0) * i / 4);
            var py = Py(yv, y0, y1);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(py)}\" y2=\"{F(py)}\" stroke=\"#eaeef2\"/>")
              .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(py + 4)}\" font-size=\"10\" text-anchor=\"end\">{Tick(yv)}</text>");
            if (xTicks)
            {
                var xv = x0 + ((x1 - x0) * i / 4);
                var px = Px(xv, x0, x1);
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(px)}\" y=\"{Height - Bottom + 16}\" font-size=\"10\" text-anchor=\"middle\">{Tick(xv)}</text>");
            }
        }

        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\" font-size=\"11\">{E(xLabel)}</text>")
          .Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" font-size=\"11\" transform=\"rotate(-90 14 {(Top + Height - Bottom) / 2})\">{E(yLabel)}</text>");
        return sb;
    }

    private static string End(StringBuilder sb, IReadOnlyList<(string Name, string Color)> legend)
    {
        var x = Left + 8;
        foreach (var (name, color) in legend)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{Top + 6}\" width=\"10\" height=\"10\" fill=\"{color}\"/>")
              .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 14}\" y=\"{Top + 15}\" font-size=\"11\">{E(name)}</text>");
            x += 24 + (7 * Math.Min(name.Length, 24));
        }

        return sb.Append("</svg>").ToString();
    }

    private static (double, double) Pad(double min, double max)
    {
        if (!(max > min))
        {
            return (min - 1, max + 1);
        }

        var pad = (max - min) * 0.05;
        return (min - pad, max + pad);
    }

    private static double Px(double x, double x0, double x1) => Left + ((x - x0) / (x1 - x0) * (Width - Left - Right));

    private static double Py(double y, double y0, double y1) => Height - Bottom - ((y - y0) / (y1 - y0) * (Height - Top - Bottom));

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Tick(double v) =>
        Math.Abs(v) >= 10000 ? v.ToString("0.#e0", CultureInfo.InvariantCulture) : v.ToString(Math.Abs(v) >= 10 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
