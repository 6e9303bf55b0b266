using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Tollgate.Benchmarks;

/// <summary>
/// How much of the time the machine itself takes away: one thread per core, pinned to it, does nothing but read the
/// clock, and every gap between two readings over half a millisecond is time that core ran something else — another
/// thread, the kernel, or (on a VM) nothing at all because the host had taken the vCPU; the CPU the rest of the machine
/// ran meanwhile tells the first two from the third. Measured with the benchmark's servers idle, beside a latency
/// benchmark, it says how noisy the machine was in that run. Linux only (sched_setaffinity); elsewhere it reports why
/// it did not run.
/// </summary>
internal static partial class MachineStalls
{
    private static readonly long HalfMillisecond = Stopwatch.Frequency / 2000;

    public static JsonObject Measure(TimeSpan duration)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new JsonObject { ["skipped"] = "pinning threads to cores needs Linux" };
        }

        var cores = Environment.ProcessorCount;
        var busyBefore = BusyMs();
        var ownBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var results = new CoreGaps[cores];
        var threads = Enumerable.Range(0, cores).Select(core => new Thread(() => results[core] = Probe(core, duration))
        {
            IsBackground = true,
            Name = $"stall probe {core}",
        }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var seconds = duration.TotalSeconds;
        // What the guest itself ran besides the probes (other processes, the kernel): the rest of the lost time is the
        // host's, invisible from inside the VM.
        var others = BusyMs() - busyBefore - (Process.GetCurrentProcess().TotalProcessorTime - ownBefore).TotalMilliseconds;
        return new JsonObject
        {
            ["seconds"] = seconds,
            ["method"] = "a thread per core, pinned, reading the clock in a loop; a gap over 0.5 ms is time the core was taken away",
            ["lostMsPer10s"] = new JsonArray([.. results.Select(r => (JsonNode)Math.Round(r.LostMs * 10 / seconds, 1))]),
            ["gapsOver1MsPer10s"] = new JsonArray([.. results.Select(r => (JsonNode)Math.Round(r.Over1Ms * 10 / seconds, 1))]),
            ["gapsOver5MsPer10s"] = new JsonArray([.. results.Select(r => (JsonNode)Math.Round(r.Over5Ms * 10 / seconds, 1))]),
            ["longestGapMs"] = new JsonArray([.. results.Select(r => (JsonNode)Math.Round(r.LongestMs, 2))]),
            ["otherCpuMsPer10s"] = double.IsFinite(others) ? Math.Round(Math.Max(0, others) * 10 / seconds, 1) : null,
            ["pinned"] = results.All(r => r.Pinned),
        };
    }

    /// <summary>One line for the log: lost time and longest gap per core.</summary>
    public static string Describe(JsonObject stalls) =>
        stalls["skipped"] is { } why
            ? $"not measured ({why})"
            : string.Join("; ", Enumerable.Range(0, stalls["lostMsPer10s"]!.AsArray().Count).Select(i =>
                $"core {i}: {stalls["lostMsPer10s"]![i]} ms lost per 10 s, {stalls["gapsOver1MsPer10s"]![i]} gaps > 1 ms, longest {stalls["longestGapMs"]![i]} ms"))
              + $" (other processes and the kernel ran {stalls["otherCpuMsPer10s"]?.ToString() ?? "?"} ms of CPU per 10 s)";

    private static CoreGaps Probe(int core, TimeSpan duration)
    {
        var pinned = Pin(core);
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long lost = 0, longest = 0;
        int over1 = 0, over5 = 0;
        var last = Stopwatch.GetTimestamp();
        while (last < end)
        {
            var now = Stopwatch.GetTimestamp();
            var gap = now - last;
            if (gap > HalfMillisecond)
            {
                lost += gap;
                longest = Math.Max(longest, gap);
                over1 += gap > 2 * HalfMillisecond ? 1 : 0;
                over5 += gap > 10 * HalfMillisecond ? 1 : 0;
            }

            last = now;
        }

        var ms = 1000.0 / Stopwatch.Frequency;
        return new CoreGaps(pinned, lost * ms, over1, over5, longest * ms);
    }

    /// <summary>Busy CPU time of the whole machine since boot (all cores, /proc/stat in USER_HZ = 1/100 s); NaN if unreadable.</summary>
    private static double BusyMs()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => double.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal ...: busy is everything but idle and iowait.
            return (fields.Take(8).Sum() - fields[3] - fields[4]) * 10;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    private static bool Pin(int core)
    {
        Span<ulong> mask = stackalloc ulong[16]; // 1,024 CPUs
        if (core >= mask.Length * 64)
        {
            return false;
        }

        mask[core / 64] = 1UL << (core % 64);
        return SchedSetAffinity(0, (nuint)(mask.Length * sizeof(ulong)), ref MemoryMarshal.GetReference(mask)) == 0;
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint size, ref ulong mask);

    private readonly record struct CoreGaps(bool Pinned, double LostMs, int Over1Ms, int Over5Ms, double LongestMs);
}
