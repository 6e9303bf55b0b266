using System.Diagnostics;
using System.Globalization;

namespace Tollgate.Release.Deployment;

/// <summary>
/// Starts long-lived processes (model servers, the front door) that outlive the pipeline step that started them:
/// own session (<c>setsid</c>, so a Ctrl+C or a killed parent does not take production down), output to a log file,
/// stdin closed. Identifies them by pid plus a marker in the command line, so a reused pid is never mistaken for ours.
/// </summary>
public static class DetachedProcess
{
    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>; returns its pid.</summary>
    public static int Start(string fileName, IReadOnlyList<string> arguments, string logPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        // sh redirects and execs, setsid (not a group leader, so it does not fork) keeps the pid: pid = the server.
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var a in (string[])["sh", "-c", "exec \"$@\" >>\"$TOLLGATE_LOG\" 2>&1 </dev/null", "sh", fileName, .. arguments])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["TOLLGATE_LOG"] = logPath;
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        return process.Id;
    }

    /// <summary>True when <paramref name="pid"/> runs and its command line contains <paramref name="marker"/>.</summary>
    public static bool IsAlive(int pid, string marker)
    {
        if (!Directory.Exists($"/proc/{pid}"))
        {
            return false;
        }

        try
        {
            var state = File.ReadAllLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal)) ?? string.Empty;
            if (state.Contains("zombie", StringComparison.Ordinal) || state.Contains("dead", StringComparison.Ordinal))
            {
                return false;
            }

            // While a process execs (setsid → sh → dotnet) its command line can read empty for a moment: still ours.
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return cmdline.Length == 0 || cmdline.Contains(marker, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return Directory.Exists($"/proc/{pid}");
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Resident memory of <paramref name="pid"/> in bytes, or null.</summary>
    public static long? ResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kb is null ? null : long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>SIGTERM (ASP.NET Core drains in-flight requests), then SIGKILL after <paramref name="grace"/>.</summary>
    public static async Task StopAsync(int pid, string marker, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!IsAlive(pid, marker))
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await kill!.WaitForExitAsync(cancellationToken);
        }

        var deadline = Stopwatch.StartNew();
        while (IsAlive(pid, marker) && deadline.Elapsed < grace)
        {
            await Task.Delay(50, cancellationToken);
        }

        if (IsAlive(pid, marker))
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                p.Kill();
            }
            catch (ArgumentException)
            {
                // Exited meanwhile.
            }
        }
    }

    /// <summary>The last lines of a log, for error messages.</summary>
    public static string Tail(string logPath, int lines = 15)
    {
        try
        {
            return File.Exists(logPath) ? string.Join(Environment.NewLine, File.ReadLines(logPath).TakeLast(lines)) : "(no log)";
        }
        catch (IOException)
        {
            return "(log unreadable)";
        }
    }
}
