namespace Tollgate.Release.Shadow;

/// <summary>Latency percentiles in milliseconds (nearest-rank).</summary>
public sealed record LatencySummary(int Count, double P50, double P95, double P99)
{
    public static LatencySummary Of(IEnumerable<double> ms)
    {
        var sorted = ms.OrderBy(x => x).ToArray();
        if (sorted.Length == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN);
        }

        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencySummary(sorted.Length, Math.Round(At(0.50), 3), Math.Round(At(0.95), 3), Math.Round(At(0.99), 3));
    }
}
