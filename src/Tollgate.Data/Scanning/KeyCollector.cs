using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tollgate.Data.Scanning;

/// <summary>
/// Collects one 64-bit value per row for a key (the integer itself for a single integer key, else a 64-bit hash of the
/// parts) so duplicates are found by sorting: no strings kept. Memory stays flat whatever the file size: values fill a
/// run of <see cref="DefaultRunLength"/> (8 MiB), a full run is sorted on the worker that filled it, one sorted run
/// stays in memory and later ones spill to a temporary file; duplicates are found by merging the sorted runs of every
/// worker. Hash collisions are re-checked against the real values in a second pass before anything is reported.
/// </summary>
internal sealed class KeyCollector : IDisposable
{
    /// <summary>Values per run: 1 Mi × 8 bytes.</summary>
    public const int DefaultRunLength = 1 << 20;

    private readonly int runLength;
    private readonly int memoryRuns;
    private readonly List<(long[] Values, int Count)> runs = [];
    private readonly List<string> spills = [];
    private long[] current = ArrayPool<long>.Shared.Rent(256);
    private int capacity = 256;
    private int used;
    private bool sealedRun;

    /// <param name="set">The key.</param>
    /// <param name="runLength">Values per sorted run.</param>
    /// <param name="memoryRuns">Full sorted runs kept in memory before runs spill to disk.</param>
    public KeyCollector(KeySet set, int runLength = DefaultRunLength, int memoryRuns = 1)
    {
        Set = set;
        this.runLength = runLength;
        this.memoryRuns = memoryRuns;
    }

    public KeySet Set { get; }

    public long Count { get; private set; }

    /// <summary>Runs written to disk so far (for tests and diagnostics).</summary>
    public int SpilledRuns => spills.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(long value)
    {
        if (used == capacity)
        {
            FullRun();
        }

        current[used++] = value;
        Count++;
    }

    /// <summary>Sorts the last, partial run; called by the worker that filled it, so sorting runs on every core.</summary>
    public void Seal()
    {
        if (!sealedRun)
        {
            Sort(current.AsSpan(0, used));
            sealedRun = true;
        }
    }

    public void Dispose()
    {
        foreach (var file in spills)
        {
            File.Delete(file);
        }

        spills.Clear();
        foreach (var (values, _) in runs)
        {
            ArrayPool<long>.Shared.Return(values);
        }

        runs.Clear();
        if (current.Length > 0)
        {
            ArrayPool<long>.Shared.Return(current);
        }

        current = [];
        capacity = 0;
        used = 0;
    }

    /// <summary>Radix sort with a pooled scratch buffer (pooled arrays: no fresh 8 MiB pages per run or per scan).</summary>
    private static void Sort(Span<long> values)
    {
        var scratch = ArrayPool<long>.Shared.Rent(values.Length);
        RadixSort.Sort(values, scratch);
        ArrayPool<long>.Shared.Return(scratch);
    }

    private void FullRun()
    {
        if (capacity < runLength)
        {
            capacity = Math.Min(runLength, capacity * 4);
            var bigger = ArrayPool<long>.Shared.Rent(capacity);
            current.AsSpan(0, used).CopyTo(bigger);
            ArrayPool<long>.Shared.Return(current);
            current = bigger;
            return;
        }

        Sort(current.AsSpan(0, used));
        if (runs.Count < memoryRuns)
        {
            runs.Add((current, used));
            current = ArrayPool<long>.Shared.Rent(runLength);
        }
        else
        {
            var dir = Path.Combine(Path.GetTempPath(), "tollgate-keys");
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, $"{Environment.ProcessId}-{Path.GetRandomFileName()}.run");
            using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(MemoryMarshal.AsBytes(current.AsSpan(0, used)));
            }

            spills.Add(file);
        }

        used = 0;
    }

    /// <summary>The key of a single-column row value, or null when it is empty (nulls are <c>column.required</c>'s business).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long? KeyOf(KeySet set, ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        if (set.IntegerKey && FastNumber.TryParseInt64(value, out var v))
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
    /// Merges the sorted runs of every collector and returns the values that occur more than once (at most
    /// <paramref name="keep"/>) and the number of surplus rows. Disposes the collectors (their spill files go).
    /// </summary>
    public static (HashSet<long> Duplicates, long Surplus) FindDuplicates(IReadOnlyList<KeyCollector> collectors, int keep)
    {
        var cursors = new List<RunCursor>();
        try
        {
            foreach (var c in collectors)
            {
                c.Seal();
                cursors.AddRange(c.runs.Select(r => RunCursor.Of(r.Values, r.Count)));
                cursors.AddRange(c.spills.Select(RunCursor.Of));
                cursors.Add(RunCursor.Of(c.current, c.used));
            }

            cursors.RemoveAll(r => !r.Valid);
            var duplicates = new HashSet<long>();
            long surplus = 0;
            var first = true;
            long previous = 0;
            while (cursors.Count > 0)
            {
                // Few runs (two per worker for a 1 GB file): a linear minimum beats a heap.
                var min = 0;
                for (var i = 1; i < cursors.Count; i++)
                {
                    if (cursors[i].Current < cursors[min].Current)
                    {
                        min = i;
                    }
                }

                var run = cursors[min];
                var value = run.Current;
                if (!first && value == previous)
                {
                    surplus++;
                    if (duplicates.Count < keep)
                    {
                        duplicates.Add(value);
                    }
                }

                first = false;
                previous = value;
                if (!run.MoveNext())
                {
                    run.Dispose();
                    cursors[min] = cursors[^1];
                    cursors.RemoveAt(cursors.Count - 1);
                }
            }

            return (duplicates, surplus);
        }
        finally
        {
            foreach (var r in cursors)
            {
                r.Dispose();
            }

            foreach (var c in collectors)
            {
                c.Dispose();
            }
        }
    }

    /// <summary>Reads one sorted run, from memory or from its spill file.</summary>
    private sealed class RunCursor : IDisposable
    {
        private readonly FileStream? stream;
        private long[] buffer;
        private int length;
        private int position;

        private RunCursor(long[] buffer, int length, FileStream? stream)
        {
            this.buffer = buffer;
            this.length = length;
            this.stream = stream;
            if (stream is not null)
            {
                Refill();
            }
        }

        public bool Valid => position < length;

        public long Current => buffer[position];

        public static RunCursor Of(long[] values, int length) => new(values, length, null);

        public static RunCursor Of(string file) =>
            new(new long[1 << 16], 0, new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool MoveNext() => ++position < length || (stream is not null && Refill());

        public void Dispose()
        {
            stream?.Dispose();
            buffer = [];
            length = 0;
        }

        private bool Refill()
        {
            var read = stream!.ReadAtLeast(MemoryMarshal.AsBytes(buffer.AsSpan()), buffer.Length * sizeof(long), throwOnEndOfStream: false);
            length = read / sizeof(long);
            position = 0;
            return length > 0;
        }
    }
}
