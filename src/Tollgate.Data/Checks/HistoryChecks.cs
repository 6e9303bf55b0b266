using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Data.Contracts;
using Tollgate.Data.History;
using Tollgate.Data.Profiles;
using Tollgate.Data.Scanning;
using Tollgate.Data.Statistics;

namespace Tollgate.Data.Checks;

/// <summary>
/// A dump against the dumps accepted before it: volume, null rates, numeric aggregates, distribution drift and
/// feature–label association. Every check has a minimum sample size and needs both an effect size above its threshold
/// and statistical significance, so daily dumps of 15 rows do not cry wolf and big dumps do not flag trivia.
/// Thresholds come from <c>engine: tollgate</c> rules in the contract (per column or table-wide), else the defaults here.
/// </summary>
public static class HistoryChecks
{
    /// <summary>Dumps in the history window. <value>Default 30.</value></summary>
    public const int DefaultWindow = 30;

    /// <summary>Accepted dumps needed before history checks run. <value>Default 10.</value></summary>
    public const int DefaultMinHistory = 10;

    // Profiles in the history are immutable and shared, so their aggregates are computed once per run, not once per
    // later dump that looks back at them.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ColumnProfile, Dictionary<string, double>> AggregateCache = new();

    public static void Evaluate(CheckList checks, ScanResult scan, DumpProfile current, ProfileHistory history, ModelSpec spec)
    {
        var contract = checks.Contract;
        if (scan.Fatal is not null || scan.Rows == 0)
        {
            return;
        }

        var volumeRule = contract.Settings(CustomCheck.Volume, null);
        var window = (int)(volumeRule?.Number("window", DefaultWindow) ?? DefaultWindow);
        var recent = history.Recent(current.File, window);
        var minHistory = (int)(volumeRule?.Number("minHistory", DefaultMinHistory) ?? DefaultMinHistory);
        if (recent.Count < minHistory)
        {
            foreach (var id in new[] { CheckIds.Volume, CheckIds.Drift, CheckIds.Stats, CheckIds.NullRate, CheckIds.TargetCorrelation })
            {
                checks.Skip(id, Severity.Warning, $"{checks.File}: {recent.Count} accepted dump(s) before it; history checks start after {minHistory}.");
            }

            return;
        }

        if (volumeRule is not { Enabled: false })
        {
            Volume(checks, current, recent, volumeRule);
        }

        var reference = Reference(recent, contract);
        foreach (var column in current.Columns)
        {
            var refColumn = reference.Column(column.Name);
            if (refColumn is null)
            {
                continue;
            }

            NullRate(checks, current, column, reference, refColumn);
            var isFeature = spec.AllFeatures.Contains(column.Name) || column.Name == spec.LabelColumn;
            if (!isFeature)
            {
                continue;
            }

            if (column.Kind == "numeric")
            {
                Stats(checks, current, column, recent);
            }

            Drift(checks, current, column, refColumn);
            if (column.Name != spec.LabelColumn)
            {
                TargetCorrelation(checks, current, column, reference, refColumn);
            }
        }
    }

    /// <summary>Recent dumps pooled until the reference holds enough rows (2,000 by default), at most the window.</summary>
    internal static DumpProfile Reference(IReadOnlyList<DumpProfile> recent, DataContract contract)
    {
        var rule = contract.Settings(CustomCheck.Drift, null);
        var minRows = (long)(rule?.Number("referenceRows", 2000) ?? 2000);
        var picked = new List<DumpProfile>();
        long rows = 0;
        var maxDumps = (int)(rule?.Number("window", DefaultWindow) ?? DefaultWindow);
        for (var i = recent.Count - 1; i >= 0 && picked.Count < maxDumps && (rows < minRows || picked.Count < DefaultMinHistory); i--)
        {
            picked.Add(recent[i]);
            rows += recent[i].Rows;
        }

        return ProfileMerger.Merge("reference", picked);
    }

    private static void Volume(CheckList checks, DumpProfile current, IReadOnlyList<DumpProfile> recent, QualityRule? rule)
    {
        var k = rule?.Number("k", 5) ?? 5;
        var severity = rule?.Severity ?? Severity.Warning;
        var problems = new List<string>();
        var observed = new List<string>();
        var expected = new List<string>();
        foreach (var (what, value, past) in new[]
                 {
                     ("rows", (double)current.Rows, recent.Select(p => (double)p.Rows).ToList()),
                     ("bytes", (double)current.Bytes, recent.Select(p => (double)p.Bytes).ToList()),
                 })
        {
            var logs = past.Select(x => Math.Log(Math.Max(1, x))).ToList();
            var median = DistributionDistance.Median(logs);
            var mad = Math.Max(DistributionDistance.Mad(logs), 0.25);
            var lo = Math.Exp(median - (k * mad));
            var hi = Math.Exp(median + (k * mad));
            observed.Add($"{what} {value:0}");
            expected.Add($"{what} {lo:0}..{hi:0}");
            if (value < lo || value > hi)
            {
                problems.Add($"{what} {value:N0} outside {lo:N0}..{hi:N0} (median of the last {recent.Count} dumps {Math.Exp(median):N0})");
            }
        }

        if (problems.Count > 0)
        {
            checks.Fail(CheckIds.Volume, severity,
                $"{checks.File}: much {(current.Rows > recent.Select(p => p.Rows).Max() ? "larger" : "smaller")} than previous dumps: {string.Join("; ", problems)}. Check the upstream did not duplicate or truncate the export.",
                observed: string.Join(", ", observed), expected: string.Join(", ", expected));
        }
        else
        {
            checks.Pass(CheckIds.Volume, severity, $"{checks.File}: rows and bytes within the band of the last {recent.Count} dumps.",
                observed: string.Join(", ", observed), expected: string.Join(", ", expected));
        }
    }

    private static void NullRate(CheckList checks, DumpProfile current, ColumnProfile column, DumpProfile reference, ColumnProfile refColumn)
    {
        var rule = checks.Contract.Settings(CustomCheck.NullRate, column.Name);
        if (rule is { Enabled: false })
        {
            return;
        }

        var severity = rule?.Severity ?? Severity.Warning;
        var maxChange = rule?.Number("maxChange", 0.10) ?? 0.10;
        var alpha = rule?.Number("alpha", 0.001) ?? 0.001;
        var cur = column.NullRate(current.Rows);
        var refRate = refColumn.NullRate(reference.Rows);
        var p = TwoProportionP(cur, current.Rows, refRate, reference.Rows);
        var observed = $"{cur:P1}";
        var expected = $"{refRate:P1} ± {maxChange:P0}";
        if (Math.Abs(cur - refRate) > maxChange && p < alpha)
        {
            checks.Fail(CheckIds.NullRate, severity,
                $"{checks.File}: column '{column.Name}' null/missing rate {cur:P1} vs {refRate:P1} in recent history (p={p:0.###}). Find out why the upstream stopped filling it.",
                column.Name, observed, expected);
        }
        else
        {
            checks.Pass(CheckIds.NullRate, severity, $"{checks.File}: column '{column.Name}' null rate {cur:P1} (history {refRate:P1}).", column.Name, observed, expected);
        }
    }

    private static void Stats(CheckList checks, DumpProfile current, ColumnProfile column, IReadOnlyList<DumpProfile> recent)
    {
        var rule = checks.Contract.Settings(CustomCheck.Stats, column.Name);
        if (rule is { Enabled: false })
        {
            return;
        }

        var severity = rule?.Severity ?? Severity.Warning;
        var minRows = rule?.Number("minRows", 30) ?? 30;
        var k = rule?.Number("k", 6) ?? 6;
        var past = recent.Where(p => p.Rows >= minRows).Select(p => p.Column(column.Name)).OfType<ColumnProfile>().ToList();
        if (column.Count < minRows || past.Count < DefaultMinHistory)
        {
            checks.Skip(CheckIds.Stats, severity, $"{checks.File}: column '{column.Name}' aggregates not compared ({column.Count} values, {past.Count} comparable dumps; need {minRows} and {DefaultMinHistory}).", column.Name);
            return;
        }

        var now = Aggregates(column);
        var history = past.Select(Aggregates).ToList();
        var spread = Math.Max(1e-9, DistributionDistance.Median(history.Select(h => h["p99"] - h["p1"]).ToList()));
        var failures = new List<string>();
        var observed = new List<string>();
        var expected = new List<string>();
        foreach (var (name, value) in now)
        {
            var values = history.Select(h => h[name]).Where(double.IsFinite).ToList();
            var median = DistributionDistance.Median(values);
            // The band is k robust standard deviations of the day-to-day values, never narrower than 5% of the column's spread.
            var tolerance = Math.Max(k * DistributionDistance.Mad(values), 0.05 * spread);
            observed.Add($"{name} {CheckList.N(value)}");
            expected.Add($"{name} {CheckList.N(median - tolerance)}..{CheckList.N(median + tolerance)}");
            if (Math.Abs(value - median) > tolerance)
            {
                failures.Add($"{name} {CheckList.N(value)} vs {CheckList.N(median)} ± {CheckList.N(tolerance)}");
            }
        }

        if (failures.Count > 0)
        {
            checks.Fail(CheckIds.Stats, severity,
                $"{checks.File}: column '{column.Name}' aggregates jumped vs the last {past.Count} dumps: {string.Join("; ", failures)}. Check units and scaling upstream.",
                column.Name, string.Join(", ", observed), string.Join(", ", expected));
        }
        else
        {
            checks.Pass(CheckIds.Stats, severity, $"{checks.File}: column '{column.Name}' aggregates within the history band.", column.Name, string.Join(", ", observed), string.Join(", ", expected));
        }
    }

    internal static Dictionary<string, double> Aggregates(ColumnProfile c) => AggregateCache.GetValue(c, Compute);

    private static Dictionary<string, double> Compute(ColumnProfile c)
    {
        var s = c.Sketch();
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["mean"] = c.Mean,
            ["median"] = s.Quantile(0.5),
            ["iqr"] = s.Quantile(0.75) - s.Quantile(0.25),
            ["p1"] = s.Quantile(0.01),
            ["p99"] = s.Quantile(0.99),
        };
    }

    /// <summary>Distribution drift vs the pooled reference: PSI and KS (numeric), JS, L∞ and χ² (categorical).</summary>
    public static CheckResult? DriftResult(string file, ColumnProfile column, ColumnProfile refColumn, QualityRule? rule, string against)
    {
        if (rule is { Enabled: false })
        {
            return null;
        }

        var severity = rule?.Severity ?? Severity.Warning;
        var minRows = rule?.Number("minRows", 50) ?? 50;
        var alpha = rule?.Number("alpha", 0.001) ?? 0.001;
        if (column.Count < minRows)
        {
            return new CheckResult(CheckIds.Drift, severity, CheckStatus.Skipped, $"{file}: column '{column.Name}' has {column.Count} values; drift needs {minRows}.", column.Name);
        }

        if (column.Kind == "numeric")
        {
            var psiMax = rule?.Number("psi", 0.25) ?? 0.25;
            var ksMax = rule?.Number("ks", 0.2) ?? 0.2;
            var r = refColumn.Sketch();
            var c = column.Sketch();
            var psi = DistributionDistance.Psi(r, c);
            var ks = DistributionDistance.Ks(r, c);
            var p = DistributionDistance.KsPValue(ks, r.Count, c.Count);
            var observed = $"PSI {psi:0.###}, KS {ks:0.###} (p={p:0.####})";
            var expected = $"PSI ≤ {psiMax}, KS ≤ {ksMax} (or p ≥ {alpha})";
            return (psi > psiMax || ks > ksMax) && p < alpha
                ? new CheckResult(CheckIds.Drift, severity, CheckStatus.Failed,
                    $"{file}: column '{column.Name}' drifted from {against}: {observed}. Median {c.Quantile(0.5):0.##} vs {r.Quantile(0.5):0.##}. If the world changed, retrain; if not, the upstream did.",
                    column.Name, observed, expected)
                : new CheckResult(CheckIds.Drift, severity, CheckStatus.Passed, $"{file}: column '{column.Name}' {observed}.", column.Name, observed, expected);
        }

        if (column.Categories is null || refColumn.Categories is null)
        {
            return null;
        }

        var jsMax = rule?.Number("js", 0.2) ?? 0.2;
        var linfMax = rule?.Number("linf", 0.2) ?? 0.2;
        var (keys, rs, cs, _, ct) = DistributionDistance.Shares(refColumn.Categories, column.Categories);
        var js = DistributionDistance.JensenShannon(rs, cs);
        var linf = DistributionDistance.LInfinity(rs, cs);
        var (chi2, pc) = DistributionDistance.ChiSquare(rs, cs, ct);
        var worst = keys[Enumerable.Range(0, keys.Count).MaxBy(i => Math.Abs(rs[i] - cs[i]))];
        var obs = $"JS {js:0.###}, L∞ {linf:0.###} ('{worst}'), χ² {chi2:0.#} (p={pc:0.####})";
        var exp = $"JS ≤ {jsMax}, L∞ ≤ {linfMax} (or p ≥ {alpha})";
        return (js > jsMax || linf > linfMax) && pc < alpha
            ? new CheckResult(CheckIds.Drift, severity, CheckStatus.Failed,
                $"{file}: column '{column.Name}' category mix drifted from {against}: {obs}; '{worst}' {cs[keys.IndexOf(worst)]:P0} vs {rs[keys.IndexOf(worst)]:P0}. If the world changed, retrain; if not, the upstream did.",
                column.Name, obs, exp)
            : new CheckResult(CheckIds.Drift, severity, CheckStatus.Passed, $"{file}: column '{column.Name}' {obs}.", column.Name, obs, exp);
    }

    private static void Drift(CheckList checks, DumpProfile current, ColumnProfile column, ColumnProfile refColumn)
    {
        var rule = checks.Contract.Settings(CustomCheck.Drift, column.Name);
        if (DriftResult(checks.File, column, refColumn, rule, "the recent accepted dumps") is { } result)
        {
            checks.Add(result);
        }
    }

    private static void TargetCorrelation(CheckList checks, DumpProfile current, ColumnProfile column, DumpProfile reference, ColumnProfile refColumn)
    {
        var rule = checks.Contract.Settings(CustomCheck.TargetCorrelation, column.Name);
        if (rule is { Enabled: false })
        {
            return;
        }

        var severity = rule?.Severity ?? Severity.Warning;
        var minClass = rule?.Number("minClassRows", 30) ?? 30;
        var jump = rule?.Number("maxChange", 0.25) ?? 0.25;
        var positives = current.LabelPositive;
        var negatives = current.LabelCount - current.LabelPositive;
        if (positives < minClass || negatives < minClass)
        {
            checks.Skip(CheckIds.TargetCorrelation, severity, $"{checks.File}: {positives} positive / {negatives} negative rows; association needs {minClass} of each.", column.Name);
            return;
        }

        var now = LeakChecks.Association(column);
        var before = LeakChecks.Association(refColumn);
        var observed = $"AUC {now:0.###}";
        var expected = $"{before:0.###} ± {jump}";
        if (double.IsFinite(now) && double.IsFinite(before) && Math.Abs(now - before) > jump)
        {
            var hint = now > before ? "a sudden jump suggests the column now leaks the label" : "a sharp decline suggests the feature drifted";
            checks.Fail(CheckIds.TargetCorrelation, severity,
                $"{checks.File}: column '{column.Name}' predicts the label with AUC {now:0.###} vs {before:0.###} in recent history: {hint}. Check how the upstream fills it.",
                column.Name, observed, expected);
        }
        else
        {
            checks.Pass(CheckIds.TargetCorrelation, severity, $"{checks.File}: column '{column.Name}' label association {observed} (history {before:0.###}).", column.Name, observed, expected);
        }
    }

    private static double TwoProportionP(double p1, long n1, double p2, long n2)
    {
        if (n1 == 0 || n2 == 0)
        {
            return 1;
        }

        var p = ((p1 * n1) + (p2 * n2)) / (n1 + n2);
        var se = Math.Sqrt(p * (1 - p) * ((1.0 / n1) + (1.0 / n2)));
        if (se <= 0)
        {
            return p1 == p2 ? 1 : 0;
        }

        var z = Math.Abs(p1 - p2) / se;
        return 2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, z));
    }
}
