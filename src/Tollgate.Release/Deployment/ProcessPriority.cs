using System.Globalization;
using System.Runtime.InteropServices;

namespace Tollgate.Release.Deployment;

/// <summary>
/// Sets the nice value of every thread of a local process (on Linux nice is per thread; threads started later inherit
/// it from the thread that starts them). Lowering is always allowed; raising back needs CAP_SYS_NICE (root), so
/// <see cref="TrySet"/> says whether it took.
/// </summary>
internal static partial class ProcessPriority
{
    /// <summary>The nice value of <see cref="DeploymentPriority.Low"/>: well below production, above idle-only scheduling.</summary>
    public const int LowNice = 10;

    public static bool TrySet(int pid, DeploymentPriority priority)
    {
        if (!OperatingSystem.IsLinux())
        {
            return priority == DeploymentPriority.Normal; // elsewhere local processes always run at normal priority
        }

        var nice = priority == DeploymentPriority.Low ? LowNice : 0;
        var tasks = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task";
        if (!Directory.Exists(tasks))
        {
            return false;
        }

        var all = true;
        // Twice: a thread started during the first pass by a thread not yet changed is caught by the second.
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var dir in Directory.EnumerateDirectories(tasks))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var tid)
                    && SetPriority(0 /* PRIO_PROCESS: with a thread id, that thread */, tid, nice) != 0
                    && Marshal.GetLastPInvokeError() != 3 /* ESRCH: the thread ended meanwhile */)
                {
                    all = false;
                }
            }
        }

        return all;
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);
}
