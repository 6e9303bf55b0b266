using System.Diagnostics;
using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.Releases;
using Tollgate.Testing;

namespace Tollgate.Core.Tests.Releases;

public sealed class ReleaseLockTests
{
    [Fact]
    public void Acquire_WhileHeld_FailsNamingTheHolder()
    {
        using var dir = new TempDir("lock");
        using var first = ReleaseLock.Acquire(dir.Path, "promote v1");

        var ex = Should.Throw<InfrastructureException>(() => ReleaseLock.Acquire(dir.Path, "promote v2"));

        ex.Message.ShouldContain("promote v1");
        ex.Message.ShouldContain($"pid {Environment.ProcessId}");
    }

    [Fact]
    public void Acquire_AfterRelease_Succeeds()
    {
        using var dir = new TempDir("lock");
        ReleaseLock.Acquire(dir.Path, "promote v1").Dispose();

        using var second = ReleaseLock.Acquire(dir.Path, "promote v2");

        File.ReadAllText(Path.Combine(dir.Path, ReleaseLock.OwnerFileName)).ShouldContain("promote v2");
    }

    [Fact]
    public void Acquire_HolderKilled_LockIsFreeAgain()
    {
        using var dir = new TempDir("lock");
        var lockFile = Path.Combine(dir.Path, ReleaseLock.FileName);
        File.WriteAllText(lockFile, string.Empty);

        // A real other process (one pid: sh execs into sleep, keeping fd 9) takes the same flock(2) .NET uses, then dies by SIGKILL.
        using var holder = Process.Start(new ProcessStartInfo("sh", ["-c", $"exec 9>'{lockFile}'; flock --exclusive 9; exec sleep 60"]) { UseShellExecute = false })!;
        WaitUntil(() => IsLockedByOthers(dir.Path));
        Should.Throw<InfrastructureException>(() => ReleaseLock.Acquire(dir.Path, "promote"));

        holder.Kill();
        holder.WaitForExit();

        using var after = ReleaseLock.Acquire(dir.Path, "promote");
    }

    private static bool IsLockedByOthers(string dir)
    {
        try
        {
            ReleaseLock.Acquire(dir, "probe").Dispose();
            return false;
        }
        catch (InfrastructureException)
        {
            return true;
        }
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met within 30 s");
            }

            Thread.Sleep(20);
        }
    }
}
