using Shouldly;

namespace Tollgate.Cli.Tests.Verbs;

[Collection(MlflowEnvironment.Name)]
public sealed class MlflowVerbTests
{
    [Fact]
    public async Task MlflowSync_RunQueuedWhileServerDown_UploadsOnceThenQueueEmpty()
    {
        using var env = new MlflowEnvironment($"http://127.0.0.1:{MlflowEnvironment.FreePort()}");
        using var fixture = new LogMlflowVerbFixture(optional: true);
        (await fixture.RunAsync("log-mlflow", "--model", "bank-marketing", "--run-dir", fixture.RunDir, "--repo-root", fixture.Root)).Code.ShouldBe(0);
        var (_, listed, _) = await fixture.RunAsync("mlflow", "queue", "--repo-root", fixture.Root);
        listed.ShouldContain(LogMlflowVerbFixture.RunId);

        // The tracking store is back (here: a file store the queue drains into).
        var target = Path.Combine(fixture.Root, "synced-mlruns");
        MlflowEnvironment.SetTrackingUri("file:" + target);
        var first = await fixture.RunAsync("mlflow", "sync", "--repo-root", fixture.Root);
        var second = await fixture.RunAsync("mlflow", "sync", "--repo-root", fixture.Root);

        first.Code.ShouldBe(0, first.Error);
        first.Output.ShouldContain("uploaded 1 queued run(s)");
        second.Output.ShouldContain("nothing queued");
        var runs = Directory.GetDirectories(target).SelectMany(Directory.GetDirectories).Where(d => File.Exists(Path.Combine(d, "tags", "tollgate.run_id"))).ToList();
        runs.Count.ShouldBe(1, "uploaded exactly once");
        File.ReadAllText(Path.Combine(runs[0], "tags", "tollgate.run_id")).ShouldBe(LogMlflowVerbFixture.RunId);
    }

    [Fact]
    public async Task MlflowSync_ServerStillDown_Exit4AndEntryKept()
    {
        using var env = new MlflowEnvironment($"http://127.0.0.1:{MlflowEnvironment.FreePort()}");
        using var fixture = new LogMlflowVerbFixture(optional: true);
        await fixture.RunAsync("log-mlflow", "--model", "bank-marketing", "--run-dir", fixture.RunDir, "--repo-root", fixture.Root);

        var (code, _, error) = await fixture.RunAsync("mlflow", "sync", "--repo-root", fixture.Root);

        code.ShouldBe(4);
        error.ShouldContain("1 still queued");
        Directory.GetFiles(fixture.QueueDir).Length.ShouldBe(1);
    }

    [Fact]
    public async Task MlflowAlias_SetChampionThenRead_PointsAtTheVersion()
    {
        using var env = new MlflowEnvironment();
        using var fixture = new LogMlflowVerbFixture();
        (await fixture.RunAsync("log-mlflow", "--model", "bank-marketing", "--run-dir", fixture.RunDir, "--repo-root", fixture.Root)).Code.ShouldBe(0);

        var set = await fixture.RunAsync("mlflow", "alias", "--model", "bank-marketing", "--alias", "champion", "--version", "1", "--repo-root", fixture.Root);
        var get = await fixture.RunAsync("mlflow", "alias", "--model", "bank-marketing", "--alias", "champion", "--repo-root", fixture.Root);
        var missing = await fixture.RunAsync("mlflow", "alias", "--model", "bank-marketing", "--alias", "champion", "--version", "9", "--repo-root", fixture.Root);

        set.Code.ShouldBe(0, set.Error + set.Output);
        get.Output.ShouldContain($"bank-marketing@champion → version 1");
        get.Output.ShouldContain(LogMlflowVerbFixture.RunId);
        missing.Code.ShouldBe(2);
        missing.Error.ShouldContain("no version 9");
    }
}
