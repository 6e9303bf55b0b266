using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tollgate.Data.Scanning;

/// <summary>
/// The category → index map of one categorical column, looked up once per cell by span. Open addressing over a
/// power-of-two table with an O(1) hash (length, first and last four characters), confirmed by comparing the
/// characters — about twice as fast as a <see cref="Dictionary{TKey,TValue}"/> alternate lookup, which hashes every
/// character. Columns hold at most <see cref="ColumnState.CategoryCap"/> categories, so the table stays small.
/// </summary>
internal sealed class CategoryTable
{
    private string?[] keys = new string?[32];
    private int[] values = new int[32];
    private int[] hashes = new int[32];
    private int count;

    public int Count => count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(ReadOnlySpan<char> key, out int value)
    {
        var hash = HashOf(key);
        var mask = keys.Length - 1;
        var i = hash & mask;
        while (true)
        {
            var candidate = keys[i];
            if (candidate is null)
            {
                value = -1;
                return false;
            }

            if (hashes[i] == hash && key.SequenceEqual(candidate))
            {
                value = values[i];
                return true;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>Adds a key that is not in the table yet.</summary>
    public void Add(string key, int value)
    {
        if ((count + 1) * 2 > keys.Length)
        {
            Grow();
        }

        Insert(key, value, HashOf(key));
        count++;
    }

    /// <summary>An O(1) hash: the length mixed with the first and last four UTF-16 units (fewer: each unit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int HashOf(ReadOnlySpan<char> s)
    {
        var h = (ulong)s.Length * 0x9E3779B97F4A7C15UL;
        if (s.Length >= 4)
        {
            var bytes = MemoryMarshal.AsBytes(s);
            h ^= MemoryMarshal.Read<ulong>(bytes) * 0xC2B2AE3D27D4EB4FUL;
            h ^= BitOperations.RotateLeft(MemoryMarshal.Read<ulong>(bytes[^8..]) * 0x165667B19E3779F9UL, 31);
        }
        else
        {
            foreach (var c in s)
            {
                h = (h ^ c) * 0x100000001B3UL;
            }
        }

        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 32;
        return (int)h & int.MaxValue;
    }

    private void Insert(string key, int value, int hash)
    {
        var mask = keys.Length - 1;
        var i = hash & mask;
        while (keys[i] is not null)
        {
            i = (i + 1) & mask;
        }

        keys[i] = key;
        values[i] = value;
        hashes[i] = hash;
    }

    private void Grow()
    {
        var (oldKeys, oldValues, oldHashes) = (keys, values, hashes);
        keys = new string?[oldKeys.Length * 2];
        values = new int[oldKeys.Length * 2];
        hashes = new int[oldKeys.Length * 2];
        for (var i = 0; i < oldKeys.Length; i++)
        {
            if (oldKeys[i] is { } k)
            {
                Insert(k, oldValues[i], oldHashes[i]);
            }
        }
    }
}
