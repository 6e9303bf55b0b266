using Shouldly;
using Tollgate.Core.IO;
using Tollgate.Core.Stages;

namespace Tollgate.Cli.Tests.Verbs;

/// <summary>Drives <c>tollgate log-mlflow</c> as CI does. MLFLOW_* variables are process-wide, hence the collection.</summary>
[Collection(MlflowEnvironment.Name)]
public sealed class LogMlflowVerbTests
{
    [Fact]
    public async Task LogMlflow_NoTrackingUri_LogsToMlrunsFileStoreAndExits0()
    {
        using var env = new MlflowEnvironment();
        using var fixture = new LogMlflowVerbFixture();

        var (code, output, error) = await fixture.RunAsync("log-mlflow", "--model", "bank-marketing", "--run-dir", fixture.RunDir, "--repo-root", fixture.Root);

        code.ShouldBe(0, error + output);
        output.ShouldContain("[log-mlflow] PASSED");
        var report = TollgateJson.ReadFile<StageReport>(Path.Combine(fixture.RunDir, "log-mlflow", "report.json"));
        var mlflowRunId = report.Details!["mlflowRunId"]!.GetValue<string>();
        var experimentId = report.Details["experimentId"]!.GetValue<string>();
        var runFolder = Path.Combine(fixture.Root, "mlruns", experimentId, mlflowRunId);
        File.ReadAllText(Path.Combine(runFolder, "params", "threshold")).ShouldBe("0.4");
        File.ReadAllText(Path.Combine(runFolder, "tags", "mlflow.runName")).ShouldBe(LogMlflowVerbFixture.RunId);
        File.Exists(Path.Combine(runFolder, "artifacts", "model", "model.zip")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(fixture.Root, "mlruns", experimentId, "meta.yaml")).ShouldContain("name: bank-marketing");
        File.Exists(Path.Combine(fixture.Root, "mlruns", "models", "bank-marketing", "version-1", "meta.yaml")).ShouldBeTrue();
    }

    [Fact]
    public async Task LogMlflow_ServerDown_Exit4ClearMessageNoStackTraceRunQueued()
    {
        using var env = new MlflowEnvironment($"http://127.0.0.1:{MlflowEnvironment.FreePort()}");
        using var fixture = new LogMlflowVerbFixture();

        var (code, _, error) = await fixture.RunAsync("log-mlflow", "--model", "bank-marketing", "--run-dir", fixture.RunDir, "--repo-root", fixture.Root);

        code.ShouldBe(4);
        error.ShouldStartWith("error: MLflow tracking server http://127.0.0.1:");
        error.ShouldContain("tollgate mlflow sync");
        error.ShouldNotContain("   at ", Case.Sensitive, "expected failures print no stack trace");
        Directory.GetFiles(fixture.QueueDir).ShouldBe([Path.Combine(fixture.QueueDir, LogMlflowVerbFixture.RunId + ".json")]);
        File.Exists(Path.Combine(fixture.RunDir, "log-mlflow", "report.json")).ShouldBeFalse("the stage did not finish");
    }

    [Fact]
    public async Task LogMlflow_ServerDownTrackingOptional_Exit0WithWarning()
    {
        using var env = new MlflowEnvironment($"http://127.0.0.1:{MlflowEnvironment.FreePort()}");
        using var fixture = new LogMlflowVerbFixture(optional: true);

        var (code, output, error) = await fixture.RunAsync("log-mlflow", "--model", "bank-marketing", "--run-dir", fixture.RunDir, "--repo-root", fixture.Root);

        code.ShouldBe(0, error);
        output.ShouldContain("[log-mlflow] warning tracking.reachable");
        output.ShouldContain("queued");
        Directory.GetFiles(fixture.QueueDir).Length.ShouldBe(1);
    }
}
