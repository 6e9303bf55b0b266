using System.Globalization;
using System.Runtime.CompilerServices;

namespace Tollgate.Data.Scanning;

/// <summary>
/// Collects one 64-bit value per row for a key (the integer itself for a single integer key, else a 64-bit hash of the
/// parts) so duplicates are found by sorting: 8 bytes per row, no strings kept. Hash collisions are re-checked against
/// the real values in a second pass before anything is reported.
/// </summary>
internal sealed class KeyCollector
{
    private const int ChunkSize = 1 << 16;
    private readonly List<long[]> full = [];
    private long[] current = new long[256];
    private int used;

    public KeyCollector(KeySet set)
    {
        Set = set;
    }

    public KeySet Set { get; }

    public long Count => ((long)full.Count * ChunkSize) + used;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(long value)
    {
        if (used == current.Length)
        {
            if (current.Length < ChunkSize)
            {
                Array.Resize(ref current, current.Length * 4);
            }
            else
            {
                full.Add(current);
                current = new long[ChunkSize];
                used = 0;
            }
        }

        current[used++] = value;
    }

    /// <summary>The key of a single-column row value, or null when it is empty (nulls are <c>column.required</c>'s business).</summary>
    public static long? KeyOf(KeySet set, ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        if (set.IntegerKey && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            return v;
        }

        return (long)Hash(Seed, value);
    }

    public const ulong Seed = 0xcbf29ce484222325UL;

    /// <summary>Adds one part of a composite key to a running hash.</summary>
    public static ulong Combine(ulong h, ReadOnlySpan<char> part) => Hash((h ^ 0x1F) * 0x100000001b3UL, part);

    /// <summary>FNV-1a over UTF-16 code units, finished with a 64-bit mix so neighbouring keys spread.</summary>
    public static ulong Hash(ulong h, ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            h = (h ^ c) * 0x100000001b3UL;
        }

        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        return h;
    }

    /// <summary>
    /// Sorts every collector's values together and returns the values that occur more than once (at most
    /// <paramref name="keep"/>) and the number of surplus rows.
    /// </summary>
    public static (HashSet<long> Duplicates, long Surplus) FindDuplicates(IReadOnlyList<KeyCollector> collectors, int keep)
    {
        var total = collectors.Sum(c => c.Count);
        var all = new long[total];
        long at = 0;
        foreach (var c in collectors)
        {
            for (var i = 0; i < c.full.Count; i++)
            {
                c.full[i].CopyTo(all, at);
                at += ChunkSize;
                c.full[i] = [];
            }

            Array.Copy(c.current, 0, all, at, c.used);
            at += c.used;
            c.current = [];
            c.used = 0;
        }

        Array.Sort(all);
        var duplicates = new HashSet<long>();
        long surplus = 0;
        for (long i = 1; i < all.LongLength; i++)
        {
            if (all[i] == all[i - 1])
            {
                surplus++;
                if (duplicates.Count < keep)
                {
                    duplicates.Add(all[i]);
                }
            }
        }

        return (duplicates, surplus);
    }
}
