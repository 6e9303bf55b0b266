using System.Diagnostics;
using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.Releases;

namespace Tollgate.Release.Tests.Switching;

public sealed class ReleaseSwitcherTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task SwitchAsync_FirstThenSecondRelease_FrontDoorServesEachAndRecordsHistory()
    {
        await using var bed = new ReleaseTestBed();
        var v1 = bed.Release("v1");
        var v2 = bed.Release("v2");

        (await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(v1), Ct)).Changed.ShouldBeTrue();
        (await bed.FrontDoorVersionAsync()).ShouldBe("v1");
        var second = await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(v2), Ct);

        second.Failure.ShouldBeNull();
        second.Previous!.Version.ShouldBe("v1");
        (await bed.FrontDoorVersionAsync()).ShouldBe("v2");
        bed.Store.TryGetProduction(ReleaseTestBed.Model)!.Version.ShouldBe("v2");
        var history = new ReleaseHistory(bed.Store.ModelRoot(ReleaseTestBed.Model)).ReadAll();
        history.Select(e => (e.Release.Version, e.PreviousVersion)).ShouldBe([("v1", null), ("v2", "v1")]);
        (await bed.RunningDeploymentsAsync()).ShouldBe(1, "the old version is stopped once the front door switched");
        File.Exists(new ReleaseJournal(bed.Store.ModelRoot(ReleaseTestBed.Model)).Path).ShouldBeFalse();
    }

    [Fact]
    public async Task SwitchAsync_WarmStandby_KeepsThePreviousVersionRunningAndRollbackReusesIt()
    {
        await using var bed = new ReleaseTestBed(warmStandby: true);
        var v1 = bed.Release("v1");
        await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(v1), Ct);
        await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(bed.Release("v2")), Ct);
        (await bed.RunningDeploymentsAsync()).ShouldBe(2, "v1 stays up as the rollback target");

        var back = await bed.Switcher().SwitchAsync(new(ReleaseEvent.RollbackKind, v1, "test", ReleaseTestBed.Promote(v1).SmokeRows), Ct);

        back.Changed.ShouldBeTrue();
        bed.LogLines.ShouldContain(l => l.StartsWith("reusing running m-v1-", StringComparison.Ordinal));
        (await bed.FrontDoorVersionAsync()).ShouldBe("v1");
        (await bed.RunningDeploymentsAsync()).ShouldBe(1, "after going back to the first release there is no older standby to keep");
    }

    [Fact]
    public async Task SwitchAsync_TargetAlreadyServing_IsANoOp()
    {
        await using var bed = new ReleaseTestBed();
        var v1 = bed.Release("v1");
        await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(v1), Ct);

        var again = await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(v1), Ct);

        again.Changed.ShouldBeFalse();
        again.Failure.ShouldBeNull();
        again.Message.ShouldContain("already in production");
        new ReleaseHistory(bed.Store.ModelRoot(ReleaseTestBed.Model)).ReadAll().Count.ShouldBe(1);
    }

    [Fact]
    public async Task SwitchAsync_TargetCrashesAtStart_ProductionKeepsServing()
    {
        await using var bed = new ReleaseTestBed();
        await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(bed.Release("v1")), Ct);

        var result = await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(bed.Release("v2", new { exitAtStart = true })), Ct);

        result.Failure.ShouldNotBeNull();
        result.Failure.ShouldContain("exited before it became ready");
        (await bed.FrontDoorVersionAsync()).ShouldBe("v1");
        bed.Store.TryGetProduction(ReleaseTestBed.Model)!.Version.ShouldBe("v1");
        (await bed.RunningDeploymentsAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task SwitchAsync_SmokePredictionFails_ProductionKeepsServing()
    {
        await using var bed = new ReleaseTestBed();
        await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(bed.Release("v1")), Ct);

        var result = await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(bed.Release("v2", new { failEvery = 1 })), Ct);

        result.Failure!.ShouldContain("smoke prediction answered 500");
        (await bed.FrontDoorVersionAsync()).ShouldBe("v1");
    }

    [Fact]
    public async Task SwitchAsync_TwoAtOnce_OneWinsTheOtherFailsClearly()
    {
        await using var bed = new ReleaseTestBed();
        var slow = bed.Release("v1", new { readyDelayMs = 1500 });
        var first = bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(slow), Ct);
        await WaitForAsync(() => File.Exists(new ReleaseJournal(bed.Store.ModelRoot(ReleaseTestBed.Model)).Path) || first.IsCompleted);

        var ex = await Should.ThrowAsync<InfrastructureException>(() => bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(bed.Release("v2")), Ct));

        ex.Message.ShouldContain("another release of 'm' is in progress");
        ex.Message.ShouldContain("promote m to v1");
        (await first).Changed.ShouldBeTrue();
        (await bed.FrontDoorVersionAsync()).ShouldBe("v1");
    }

    [Fact]
    public async Task SwitchAsync_PromoteKilledWhileStartingTarget_OldVersionServesAndNextRunUndoes()
    {
        await using var bed = new ReleaseTestBed();
        await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(bed.Release("v1")), Ct);
        var v2 = bed.Release("v2", new { readyDelayMs = 3000 });
        var journal = new ReleaseJournal(bed.Store.ModelRoot(ReleaseTestBed.Model));

        using (var child = StartPromoteProcess(bed, v2, drainSeconds: 0))
        {
            await WaitForAsync(() => journal.TryRead()?.ToDeployment is not null);
            child.Kill(); // SIGKILL while v2 warms up
            await child.WaitForExitAsync(Ct);
        }

        (await bed.FrontDoorVersionAsync()).ShouldBe("v1", "a promote killed before the switch must leave the old version serving");
        var recovered = await bed.Switcher().RecoverWithLockAsync(Ct);
        recovered!.ShouldContain("undid an interrupted promote to v2");
        journal.TryRead().ShouldBeNull();
        (await bed.RunningDeploymentsAsync()).ShouldBe(1, "the half-started v2 is stopped by the recovery");
        new ReleaseHistory(bed.Store.ModelRoot(ReleaseTestBed.Model)).ReadAll().Select(e => e.Release.Version).ShouldBe(["v1"]);
    }

    [Fact]
    public async Task SwitchAsync_PromoteKilledAfterSwitch_NewVersionServesAndNextRunFinishes()
    {
        await using var bed = new ReleaseTestBed();
        await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(bed.Release("v1")), Ct);
        var v2 = bed.Release("v2");
        var journal = new ReleaseJournal(bed.Store.ModelRoot(ReleaseTestBed.Model));

        using (var child = StartPromoteProcess(bed, v2, drainSeconds: 30))
        {
            await WaitForAsync(() => journal.TryRead()?.Step == ReleaseStep.Switched);
            child.Kill(); // SIGKILL while the old version drains
            await child.WaitForExitAsync(Ct);
        }

        (await bed.FrontDoorVersionAsync()).ShouldBe("v2");
        var result = await bed.Switcher().SwitchAsync(ReleaseTestBed.Promote(v2), Ct);
        result.Recovered!.ShouldContain("finished an interrupted promote to v2");
        result.Changed.ShouldBeFalse("after recovery v2 already serves");
        bed.Store.TryGetProduction(ReleaseTestBed.Model)!.Version.ShouldBe("v2");
        new ReleaseHistory(bed.Store.ModelRoot(ReleaseTestBed.Model)).ReadAll().Select(e => e.Release.Version).ShouldBe(["v1", "v2"]);
        (await bed.RunningDeploymentsAsync()).ShouldBe(1, "recovery stops the old version the killed run left draining");
    }

    /// <summary>The FakeServer's promote mode: the real switcher in a child process a test can SIGKILL (<paramref name="extra"/>: e.g. <c>--image</c> for the Docker backend).</summary>
    internal static Process StartPromoteProcess(ReleaseTestBed bed, ReleasedModel target, int drainSeconds, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in (string[])[ReleaseTestBed.FakeServerDll, "promote", "--store", bed.Store.Root, "--model", ReleaseTestBed.Model, "--version", target.Version,
                     "--release-dir", target.ModelDir, "--front-door-port", bed.Deploy.FrontDoorPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--ports", $"{bed.Deploy.FirstPort}-{bed.Deploy.LastPort}", "--drain-seconds", drainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra])
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
