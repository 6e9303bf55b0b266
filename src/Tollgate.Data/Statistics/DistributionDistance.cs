using MathNet.Numerics.Distributions;
using Tollgate.Data.Profiles;

namespace Tollgate.Data.Statistics;

/// <summary>
/// Effect sizes between a reference and a current distribution, computed from sketches and category counts only.
/// Gates use the effect size (PSI, KS D, Jensen–Shannon, L∞) and require significance as well, so a 15-row dump cannot
/// raise an alarm by noise and a million-row dump cannot raise one by a trivial difference.
/// </summary>
public static class DistributionDistance
{
    private const double Floor = 1e-4;

    /// <summary>Population stability index over the reference's deciles (ties collapse bins).</summary>
    public static double Psi(QuantileSketch reference, QuantileSketch current)
    {
        if (reference.Count == 0 || current.Count == 0)
        {
            return double.NaN;
        }

        var edges = Enumerable.Range(1, 9).Select(i => QuantileSketch.KeyOf(reference.Quantile(i / 10.0))).Distinct().Order().ToList();
        double psi = 0;
        double prevR = 0;
        double prevC = 0;
        foreach (var edge in edges.Append(int.MaxValue))
        {
            var r = edge == int.MaxValue ? 1 : reference.CdfAtKey(edge);
            var c = edge == int.MaxValue ? 1 : current.CdfAtKey(edge);
            var pr = Math.Max(r - prevR, Floor);
            var pc = Math.Max(c - prevC, Floor);
            psi += (pc - pr) * Math.Log(pc / pr);
            prevR = r;
            prevC = c;
        }

        return psi;
    }

    /// <summary>Kolmogorov–Smirnov D: the largest gap between the two CDFs (at the sketches' shared bucket edges).</summary>
    public static double Ks(QuantileSketch reference, QuantileSketch current)
    {
        if (reference.Count == 0 || current.Count == 0)
        {
            return double.NaN;
        }

        var keys = reference.Bins.Keys.Union(current.Bins.Keys).Order().ToList();
        double r = 0;
        double c = 0;
        double d = 0;
        foreach (var k in keys)
        {
            r += reference.Bins.GetValueOrDefault(k) / (double)reference.Count;
            c += current.Bins.GetValueOrDefault(k) / (double)current.Count;
            d = Math.Max(d, Math.Abs(r - c));
        }

        return d;
    }

    /// <summary>Asymptotic two-sample KS p-value for statistic <paramref name="d"/> with sample sizes n and m.</summary>
    public static double KsPValue(double d, long n, long m)
    {
        if (n == 0 || m == 0 || double.IsNaN(d))
        {
            return 1;
        }

        var ne = n * (double)m / (n + m);
        var lambda = (Math.Sqrt(ne) + 0.12 + (0.11 / Math.Sqrt(ne))) * d;
        if (lambda < 0.2)
        {
            return 1;
        }

        double sum = 0;
        for (var j = 1; j <= 100; j++)
        {
            var term = 2 * Math.Pow(-1, j - 1) * Math.Exp(-2 * j * j * lambda * lambda);
            sum += term;
            if (Math.Abs(term) < 1e-10)
            {
                break;
            }
        }

        return Math.Clamp(sum, 0, 1);
    }

    /// <summary>Shares of each category (reference's categories plus any new ones).</summary>
    public static (List<string> Keys, double[] Reference, double[] Current, long RefTotal, long CurTotal) Shares(
        IReadOnlyDictionary<string, long[]> reference, IReadOnlyDictionary<string, long[]> current)
    {
        var keys = reference.Keys.Union(current.Keys).Order(StringComparer.Ordinal).ToList();
        var rt = reference.Values.Sum(v => v[0]);
        var ct = current.Values.Sum(v => v[0]);
        var r = keys.Select(k => rt == 0 ? 0 : reference.GetValueOrDefault(k)?[0] / (double)rt ?? 0).ToArray();
        var c = keys.Select(k => ct == 0 ? 0 : current.GetValueOrDefault(k)?[0] / (double)ct ?? 0).ToArray();
        return (keys, r, c, rt, ct);
    }

    /// <summary>Jensen–Shannon distance (base 2, 0..1).</summary>
    public static double JensenShannon(double[] p, double[] q)
    {
        double js = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var m = (p[i] + q[i]) / 2;
            if (p[i] > 0)
            {
                js += 0.5 * p[i] * Math.Log2(p[i] / m);
            }

            if (q[i] > 0)
            {
                js += 0.5 * q[i] * Math.Log2(q[i] / m);
            }
        }

        return Math.Sqrt(Math.Max(0, js));
    }

    public static double LInfinity(double[] p, double[] q) => p.Zip(q, (a, b) => Math.Abs(a - b)).DefaultIfEmpty(0).Max();

    /// <summary>χ² goodness of fit of the current counts to the reference shares; returns (χ², p-value).</summary>
    public static (double Chi2, double P) ChiSquare(double[] referenceShares, double[] currentShares, long currentTotal)
    {
        double chi = 0;
        var df = -1;
        for (var i = 0; i < referenceShares.Length; i++)
        {
            var expected = Math.Max(referenceShares[i], 0.5 / Math.Max(1, currentTotal)) * currentTotal;
            var observed = currentShares[i] * currentTotal;
            chi += (observed - expected) * (observed - expected) / expected;
            df++;
        }

        if (df < 1 || currentTotal == 0)
        {
            return (chi, 1);
        }

        return (chi, 1 - ChiSquared.CDF(df, chi));
    }

    /// <summary>
    /// Univariate AUC of a numeric feature for the label (max of AUC and 1 − AUC): the chance a random positive row has a
    /// higher value than a random negative one, ties counting half.
    /// </summary>
    public static double Auc(QuantileSketch positive, QuantileSketch negative)
    {
        if (positive.Count == 0 || negative.Count == 0)
        {
            return double.NaN;
        }

        var keys = positive.Bins.Keys.Union(negative.Bins.Keys).Order();
        double below = 0;
        double wins = 0;
        foreach (var k in keys)
        {
            var p = positive.Bins.GetValueOrDefault(k);
            var n = negative.Bins.GetValueOrDefault(k);
            wins += p * (below + (0.5 * n));
            below += n;
        }

        var auc = wins / (positive.Count * (double)negative.Count);
        return Math.Max(auc, 1 - auc);
    }

    /// <summary>Univariate AUC of a categorical feature scored by its categories' positive rates (target encoding).</summary>
    public static double Auc(IReadOnlyDictionary<string, long[]> categories)
    {
        var ordered = categories.Values.Where(v => v[0] > 0).OrderBy(v => v[1] / (double)v[0]).ToList();
        double pos = ordered.Sum(v => v[1]);
        double neg = ordered.Sum(v => v[0] - v[1]);
        if (pos == 0 || neg == 0)
        {
            return double.NaN;
        }

        double below = 0;
        double wins = 0;
        foreach (var v in ordered)
        {
            var p = v[1];
            var n = v[0] - v[1];
            wins += p * (below + (0.5 * n));
            below += n;
        }

        var auc = wins / (pos * neg);
        return Math.Max(auc, 1 - auc);
    }

    /// <summary>Point-biserial (Pearson) correlation of a numeric column with the 0/1 label, from sums.</summary>
    public static double Correlation(ColumnProfile c)
    {
        var n = (double)c.Count;
        if (n < 3)
        {
            return double.NaN;
        }

        var py = c.CountPositive / n;
        var mx = c.Sum / n;
        var vx = (c.SumSquares / n) - (mx * mx);
        var vy = py * (1 - py);
        if (vx <= 1e-12 || vy <= 1e-12)
        {
            return double.NaN;
        }

        var cov = (c.SumPositive / n) - (mx * py);
        return cov / Math.Sqrt(vx * vy);
    }

    public static double Median(IReadOnlyList<double> xs)
    {
        if (xs.Count == 0)
        {
            return double.NaN;
        }

        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }

    /// <summary>Median absolute deviation, scaled by 1.4826 to estimate σ for normal data.</summary>
    public static double Mad(IReadOnlyList<double> xs)
    {
        var m = Median(xs);
        return 1.4826 * Median(xs.Select(x => Math.Abs(x - m)).ToList());
    }
}
