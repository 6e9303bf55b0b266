using System.Diagnostics;

namespace Tollgate.Core.Runs;

/// <summary>The commit and branch a run was made from: GitLab's variables when set, else <c>git</c> itself.</summary>
public static class GitInfo
{
    public static string Commit(string repoRoot) =>
        Environment.GetEnvironmentVariable("CI_COMMIT_SHA") is { Length: > 0 } sha ? sha : Git(repoRoot, "rev-parse HEAD") ?? "unknown";

    public static string? Branch(string repoRoot) =>
        Environment.GetEnvironmentVariable("CI_COMMIT_REF_NAME") is { Length: > 0 } b ? b : Git(repoRoot, "rev-parse --abbrev-ref HEAD");

    /// <summary>GitLab CI ids and URLs present in the environment.</summary>
    public static IReadOnlyDictionary<string, string> CiVariables()
    {
        string[] names = ["CI_PIPELINE_ID", "CI_PIPELINE_URL", "CI_JOB_ID", "CI_JOB_URL", "CI_PROJECT_PATH", "CI_PIPELINE_SOURCE"];
        return names
            .Select(n => (n, v: Environment.GetEnvironmentVariable(n)))
            .Where(p => !string.IsNullOrEmpty(p.v))
            .ToDictionary(p => p.n, p => p.v!);
    }

    private static string? Git(string repoRoot, string args)
    {
        try
        {
            var psi = new ProcessStartInfo("git", args)
            {
                WorkingDirectory = repoRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi);
            if (p is null)
            {
                return null;
            }

            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git not installed: the run records 'unknown'.
        }
    }
}
