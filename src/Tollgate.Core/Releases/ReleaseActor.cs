namespace Tollgate.Core.Releases;

/// <summary>Who is releasing, for the history: the CI user and job when running in CI, else the OS user and host.</summary>
public static class ReleaseActor
{
    public static string Current()
    {
        var ciUser = Environment.GetEnvironmentVariable("GITLAB_USER_LOGIN");
        var job = Environment.GetEnvironmentVariable("CI_JOB_ID");
        if (ciUser is { Length: > 0 })
        {
            return job is { Length: > 0 } ? $"{ciUser} (CI job {job})" : ciUser;
        }

        return $"{Environment.UserName}@{Environment.MachineName}";
    }
}
