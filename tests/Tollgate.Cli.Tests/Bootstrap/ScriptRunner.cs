using System.Diagnostics;

namespace Tollgate.Cli.Tests.Bootstrap;

/// <summary>Runs build.sh / build.ps1 from the repository root as a child process and captures what it prints.</summary>
internal static class ScriptRunner
{
    /// <summary>
    /// One script at a time: Cake compiles build/build.cake into the shared script cache (.build/cake/cache) on first use
    /// per kind of run (tree, description, build), and two Cake processes compiling the same entry at once can read
    /// each other's half-written assembly (a fresh clone's test run failed once that way: build.sh --tree exited 1).
    /// </summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        await OneAtATime.WaitAsync();
        try
        {
            return await RunAloneAsync(fileName, args, env);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAloneAsync(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Tollgate.Testing.TestRepo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // The test run has already built the solution; the scripts must not rebuild it under the running tests.
        psi.Environment["TOLLGATE_NO_BUILD"] = "1";
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The CLI build the scripts run (Release, as build.sh builds it).</summary>
    public static bool CliIsBuilt =>
        File.Exists(Tollgate.Testing.TestRepo.PathOf(".build", Environment.GetEnvironmentVariable("TOLLGATE_BUILD_SLOT") ?? string.Empty, "bin", "Tollgate.Cli", "release", "tollgate.dll"));
}
