using System.Runtime.CompilerServices;

namespace Tollgate.Data.Scanning;

/// <summary>
/// LSD radix sort of 64-bit keys, 8 bits per pass, skipping passes where every key has the same byte (row ids leave
/// the high bytes alone, so a million ids sort in three passes). Compiled optimised at once: it runs a few times per
/// process on millions of values, which the tiered JIT would otherwise run unoptimised.
/// </summary>
internal static class RadixSort
{
    /// <summary>Sorts <paramref name="values"/> in place (signed order); <paramref name="scratch"/> must be at least as long.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sort(Span<long> values, Span<long> scratch)
    {
        var n = values.Length;
        if (n < 2)
        {
            return;
        }

        if (n <= 256)
        {
            values.Sort();
            return;
        }

        scratch = scratch[..n];
        var counts = new int[8 * 256];
        foreach (var v in values)
        {
            var u = (ulong)v ^ 0x8000000000000000UL; // signed order as unsigned
            for (var b = 0; b < 8; b++)
            {
                counts[(b << 8) + (int)((u >> (b << 3)) & 0xFF)]++;
            }
        }

        var source = values;
        var target = scratch;
        var inScratch = false;
        for (var b = 0; b < 8; b++)
        {
            var bucket = counts.AsSpan(b << 8, 256);
            if (bucket.Contains(n))
            {
                continue; // every key has the same byte here
            }

            var sum = 0;
            for (var i = 0; i < 256; i++)
            {
                var c = bucket[i];
                bucket[i] = sum;
                sum += c;
            }

            var shift = b << 3;
            foreach (var v in source)
            {
                var digit = (int)((((ulong)v ^ 0x8000000000000000UL) >> shift) & 0xFF);
                target[bucket[digit]++] = v;
            }

            var swap = source;
            source = target;
            target = swap;
            inScratch = !inScratch;
        }

        if (inScratch)
        {
            source.CopyTo(values);
        }
    }
}
