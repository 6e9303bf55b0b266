using System.Text.Json.Nodes;

namespace Tollgate.Benchmarks.LoadGeneration;

/// <summary>
/// Latencies of one open-loop run, in milliseconds: from each request's due time to its whole answer (the honest
/// figure), from the actual send (what the servers did), and the pacer's lateness (what the generator added).
/// </summary>
internal sealed record BlockLatencies(
    double TargetRate,
    double AchievedRate,
    int Failed,
    string? Error,
    float[] FromDue,
    float[] FromSend,
    float[] SendLag)
{
    public int Requests => FromDue.Length;

    /// <summary>All blocks' samples as one (for a percentile over every request of a condition).</summary>
    public static BlockLatencies Pool(IReadOnlyList<BlockLatencies> blocks) => new(
        blocks[0].TargetRate,
        blocks.Average(b => b.AchievedRate),
        blocks.Sum(b => b.Failed),
        blocks.Select(b => b.Error).FirstOrDefault(e => e is not null),
        [.. blocks.SelectMany(b => b.FromDue)],
        [.. blocks.SelectMany(b => b.FromSend)],
        [.. blocks.SelectMany(b => b.SendLag)]);

    public double P99 => Percentile(FromDue, 0.99);

    public JsonObject ToJson() => new()
    {
        ["targetRequestsPerSecond"] = Math.Round(TargetRate, 1),
        ["achievedRequestsPerSecond"] = Math.Round(AchievedRate, 1),
        ["requests"] = Requests,
        ["failed"] = Failed,
        ["error"] = Error,
        ["p50Ms"] = Percentile(FromDue, 0.50),
        ["p90Ms"] = Percentile(FromDue, 0.90),
        ["p99Ms"] = Percentile(FromDue, 0.99),
        ["p999Ms"] = Percentile(FromDue, 0.999),
        ["maxMs"] = Percentile(FromDue, 1),
        ["p50FromSendMs"] = Percentile(FromSend, 0.50),
        ["p99FromSendMs"] = Percentile(FromSend, 0.99),
        ["sendLagP50Ms"] = Percentile(SendLag, 0.50),
        ["sendLagP99Ms"] = Percentile(SendLag, 0.99),
    };

    /// <summary>Nearest-rank percentile (q = 1 is the maximum), rounded to the microsecond.</summary>
    public static double Percentile(float[] values, double q)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
        return Math.Round(sorted[Math.Clamp(rank, 0, sorted.Length - 1)], 3);
    }
}
