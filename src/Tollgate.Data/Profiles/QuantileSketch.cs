namespace Tollgate.Data.Profiles;

/// <summary>
/// A mergeable, fixed-accuracy quantile sketch (DDSketch: logarithmic buckets with 1% relative accuracy). Memory grows
/// with the log of the value range, not with rows, so a 1 GB dump profiles in the same space as a 1 kB one; sketches of
/// many dumps merge exactly, which is how history references are pooled. Identical bucketing everywhere makes CDFs of
/// two sketches comparable bucket by bucket (KS, PSI, univariate AUC).
/// </summary>
public sealed class QuantileSketch
{
    /// <summary>Relative accuracy α = 1%: γ = (1 + α) / (1 − α).</summary>
    public const double Gamma = 1.0202020202020203;

    private const int Offset = 1 << 20;
    private static readonly double LogGamma = Math.Log(Gamma);

    private readonly Dictionary<int, long> bins = [];
    private int[]? sortedKeys;
    private long[]? cumulative;

    public long Count { get; private set; }

    public IReadOnlyDictionary<int, long> Bins => bins;

    public static QuantileSketch From(SketchData? data)
    {
        var sketch = new QuantileSketch();
        if (data is null)
        {
            return sketch;
        }

        for (var i = 0; i < data.Keys.Length; i++)
        {
            sketch.AddBin(data.Keys[i], data.Counts[i]);
        }

        return sketch;
    }

    /// <summary>The bucket key of <paramref name="x"/>; keys sort in the order of the values they hold.</summary>
    public static int KeyOf(double x)
    {
        if (Math.Abs(x) < 1e-9)
        {
            return 0;
        }

        var k = (int)Math.Ceiling(Math.Log(Math.Abs(x)) / LogGamma);
        return x > 0 ? Offset + k : -(Offset + k);
    }

    /// <summary>The representative value of a bucket (relative error ≤ 1%).</summary>
    public static double ValueOf(int key)
    {
        if (key == 0)
        {
            return 0;
        }

        var k = Math.Abs(key) - Offset;
        var v = 2 * Math.Pow(Gamma, k) / (Gamma + 1);
        return key > 0 ? v : -v;
    }

    public void Add(double x) => AddBin(KeyOf(x), 1);

    public void AddBin(int key, long count)
    {
        if (count <= 0)
        {
            return;
        }

        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(bins, key, out _) += count;
        Count += count;
        sortedKeys = null;
        cumulative = null;
    }

    public void Merge(QuantileSketch other)
    {
        foreach (var (k, c) in other.bins)
        {
            AddBin(k, c);
        }
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1); NaN when empty.</summary>
    public double Quantile(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        Prepare();
        var rank = (long)Math.Floor(Math.Clamp(q, 0, 1) * (Count - 1));
        var i = Array.BinarySearch(cumulative!, rank + 1);
        i = i < 0 ? ~i : i;
        return ValueOf(sortedKeys![Math.Min(i, sortedKeys.Length - 1)]);
    }

    /// <summary>Share of values at or below bucket <paramref name="key"/>.</summary>
    public double CdfAtKey(int key)
    {
        if (Count == 0)
        {
            return 0;
        }

        Prepare();
        var i = Array.BinarySearch(sortedKeys!, key);
        i = i < 0 ? ~i - 1 : i;
        return i < 0 ? 0 : cumulative![i] / (double)Count;
    }

    public IReadOnlyList<int> SortedKeys()
    {
        Prepare();
        return sortedKeys!;
    }

    private void Prepare()
    {
        if (sortedKeys is not null)
        {
            return;
        }

        var keys = bins.Keys.ToArray();
        Array.Sort(keys);
        var cum = new long[keys.Length];
        long run = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            run += bins[keys[i]];
            cum[i] = run;
        }

        sortedKeys = keys;
        cumulative = cum;
    }

    public SketchData ToData()
    {
        var keys = SortedKeys();
        return new SketchData([.. keys], [.. keys.Select(k => bins[k])]);
    }
}
