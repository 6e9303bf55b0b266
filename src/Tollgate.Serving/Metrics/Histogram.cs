using System.Globalization;
using System.Text;

namespace Tollgate.Serving.Metrics;

/// <summary>A lock-free Prometheus histogram: cumulative buckets written at scrape time.</summary>
public sealed class Histogram
{
    private readonly double[] bounds;
    private readonly long[] counts;
    private long sumMicros;

    public Histogram(params double[] bounds)
    {
        this.bounds = bounds;
        counts = new long[bounds.Length + 1];
    }

    public void Observe(double value)
    {
        var i = 0;
        while (i < bounds.Length && value > bounds[i])
        {
            i++;
        }

        Interlocked.Increment(ref counts[i]);
        Interlocked.Add(ref sumMicros, (long)(value * 1_000_000));
    }

    /// <summary>Observations so far: the sum of the buckets (one less shared counter to bump per observation).</summary>
    public long Count
    {
        get
        {
            long total = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                total += Interlocked.Read(ref counts[i]);
            }

            return total;
        }
    }

    /// <summary>Writes the bucket, sum and count lines; <paramref name="labels"/> is e.g. <c>route="/v1/predict",</c> or empty.</summary>
    public void Write(StringBuilder output, string name, string labels)
    {
        long cumulative = 0;
        for (var i = 0; i < bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref counts[i]);
            output.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}le=\"{bounds[i].ToString(CultureInfo.InvariantCulture)}\"}} {cumulative}\n");
        }

        cumulative += Interlocked.Read(ref counts[bounds.Length]);
        output.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}le=\"+Inf\"}} {cumulative}\n");
        var trimmed = labels.TrimEnd(',');
        var braces = trimmed.Length > 0 ? "{" + trimmed + "}" : string.Empty;
        output.Append(CultureInfo.InvariantCulture, $"{name}_sum{braces} {(Interlocked.Read(ref sumMicros) / 1_000_000.0).ToString(CultureInfo.InvariantCulture)}\n");
        output.Append(CultureInfo.InvariantCulture, $"{name}_count{braces} {cumulative}\n");
    }
}
