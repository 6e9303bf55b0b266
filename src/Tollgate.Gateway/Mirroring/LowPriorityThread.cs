using System.Runtime.InteropServices;

namespace Tollgate.Gateway.Mirroring;

/// <summary>
/// Dedicated background threads for work that must yield the CPU to production: on Linux each thread lowers its own
/// nice value (a per-thread attribute there), so under CPU pressure the kernel runs Kestrel's threads first. .NET's
/// <see cref="Thread.Priority"/> has no effect on Linux, hence the direct call; elsewhere it falls back to that.
/// </summary>
internal static partial class LowPriorityThread
{
    /// <summary>Nice value for mirror threads: the lowest priority short of idle scheduling.</summary>
    private const int Nice = 19;

    /// <summary>
    /// Starts <paramref name="body"/> on a new low-priority background thread. An exception escaping it goes to
    /// <paramref name="failed"/> (with the thread's name) instead of ending the process.
    /// </summary>
    public static Thread Start(string name, Action body, Action<string, Exception> failed)
    {
        var thread = new Thread(() =>
        {
            try
            {
                Lower();
                body();
            }
            catch (Exception ex)
            {
                failed(name, ex);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return thread;
    }

    private static void Lower()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // PRIO_PROCESS with a thread id sets that thread's nice value; lowering needs no privilege.
                _ = SetPriority(0, GetTid(), Nice);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // No libc entry points (unusual libc): the thread keeps normal priority; mirroring still works.
            }
        }
        else
        {
            Thread.CurrentThread.Priority = ThreadPriority.Lowest;
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
