using System.Text.RegularExpressions;
using Shouldly;
using Tollgate.Testing;
using Tollgate.Tracking.Entities;
using Tollgate.Tracking.FileStore;

namespace Tollgate.Tracking.Tests.FileStore;

/// <summary>The file store compared structurally with ../shared/mlflow/filestore-example-mlruns (written by MLflow's Python client).</summary>
public sealed partial class FileTrackingStoreTests
{
    private const string ExampleExperiment = "760694368589497233";
    private const string ExampleRun = "72cf3a405dba4f0aa253fdda95ced02a";
    private static readonly CancellationToken None = CancellationToken.None;

    private static string Example(params string[] parts) => TestRepo.Shared(["mlflow", "filestore-example-mlruns", .. parts]);

    [Fact]
    public async Task LogRun_LikeTheExample_SameLayoutKeysAndLineFormat()
    {
        using var dir = new TempDir();
        var store = new FileTrackingStore(dir.Path);
        var artifact = dir.Combine("note.txt");
        File.WriteAllText(artifact, "hello\n");

        var exp = await store.GetOrCreateExperimentAsync("fs-exp", new Dictionary<string, string> { ["team"] = "mlops" }, None);
        var run = await store.CreateRunAsync(exp, "fs-run", 1795762620151, new Dictionary<string, string> { ["stage"] = "train" }, None);
        await store.LogBatchAsync(
            run.RunId,
            [new MetricPoint("accuracy", 0.91, 1795762620157, 0), new MetricPoint("accuracy", 0.95, 1795762620158, 1), new MetricPoint("nanm", double.NaN, 1, 2)],
            new Dictionary<string, string> { ["lr"] = "0.01" },
            new Dictionary<string, string>(),
            None);
        await store.LogArtifactAsync(run, artifact, "reports/note.txt", None);
        await store.UpdateRunAsync(run.RunId, MlflowRunStatus.Finished, 1795762620161, None);

        var ours = Path.Combine(dir.Path, exp, run.RunId);
        var theirs = Example(ExampleExperiment, ExampleRun);
        Entries(ours).ShouldBe(Entries(theirs).Where(e => !e.StartsWith("tags/mlflow.source", StringComparison.Ordinal) && e != "tags/mlflow.user"), ignoreOrder: true);
        Keys(Path.Combine(ours, "meta.yaml")).ShouldBe(Keys(Path.Combine(theirs, "meta.yaml")));
        Keys(Path.Combine(dir.Path, exp, "meta.yaml")).ShouldBe(Keys(Example(ExampleExperiment, "meta.yaml")));
        Keys(Path.Combine(dir.Path, "0", "meta.yaml")).ShouldBe(Keys(Example("0", "meta.yaml")), "MLflow's Default experiment exists too");
        File.ReadAllText(Path.Combine(ours, "metrics", "accuracy")).ShouldBe(File.ReadAllText(Path.Combine(theirs, "metrics", "accuracy")));
        File.ReadAllText(Path.Combine(ours, "metrics", "nanm")).ShouldBe(File.ReadAllText(Path.Combine(theirs, "metrics", "nanm")));
        File.ReadAllBytes(Path.Combine(ours, "params", "lr")).ShouldBe(File.ReadAllBytes(Path.Combine(theirs, "params", "lr")), "raw value, no newline");
        File.ReadAllText(Path.Combine(ours, "tags", "mlflow.runName")).ShouldBe("fs-run");
        File.ReadAllText(Path.Combine(dir.Path, exp, "tags", "team")).ShouldBe("mlops");
        File.ReadAllText(Path.Combine(ours, "artifacts", "reports", "note.txt")).ShouldBe("hello\n");
        var meta = MlflowYaml.Read(Path.Combine(ours, "meta.yaml"));
        meta["status"].ShouldBe("3", "FINISHED is status code 3 in the file store");
        meta["end_time"].ShouldBe("1795762620161");
        meta["experiment_id"].ShouldBe(exp);
        File.ReadAllText(Path.Combine(ours, "meta.yaml")).ShouldContain($"experiment_id: '{exp}'");
        ExperimentId().IsMatch(exp).ShouldBeTrue($"experiment ids are large random integers like MLflow's, got {exp}");
    }

    [Fact]
    public async Task GetRunAsync_ExampleWrittenByMlflow_ReadsParamsLatestMetricsAndTags()
    {
        var store = new FileTrackingStore(Example());

        var run = await store.GetRunAsync(ExampleRun, None);

        run.ShouldNotBeNull();
        run.Status.ShouldBe(MlflowRunStatus.Finished);
        run.Params["lr"].ShouldBe("0.01");
        run.Metrics["accuracy"].ShouldBe(0.95, "the latest step wins");
        double.IsNaN(run.Metrics["nanm"]).ShouldBeTrue();
        run.Tags["stage"].ShouldBe("train");
        (await store.GetMetricHistoryAsync(ExampleRun, "accuracy", None)).Select(m => m.Value).ShouldBe([0.91, 0.95]);
        store.FindExperiment("fs-exp").ShouldBe(ExampleExperiment);
    }

    [Fact]
    public async Task LogBatchAsync_ChangedParam_ThrowsAndLeavesRunUnchanged()
    {
        using var dir = new TempDir();
        var store = new FileTrackingStore(dir.Path);
        var exp = await store.GetOrCreateExperimentAsync("e", new Dictionary<string, string>(), None);
        var run = await store.CreateRunAsync(exp, "r", 1, new Dictionary<string, string>(), None);
        await store.LogBatchAsync(run.RunId, [], new Dictionary<string, string> { ["lr"] = "0.01" }, new Dictionary<string, string>(), None);

        var ex = await Should.ThrowAsync<ParamConflictException>(() =>
            store.LogBatchAsync(run.RunId, [], new Dictionary<string, string> { ["epochs"] = "10", ["lr"] = "0.02" }, new Dictionary<string, string>(), None));

        ex.Key.ShouldBe("lr");
        ex.OldValue.ShouldBe("0.01");
        (await store.GetRunAsync(run.RunId, None))!.Params.Keys.ShouldBe(["lr"], "a refused batch writes nothing");
    }

    [Fact]
    public async Task GetOrCreateExperimentAsync_SameNameTwice_OneExperiment()
    {
        using var dir = new TempDir();
        var store = new FileTrackingStore(dir.Path);

        var first = await store.GetOrCreateExperimentAsync("bank-marketing", new Dictionary<string, string>(), None);
        var second = await store.GetOrCreateExperimentAsync("bank-marketing", new Dictionary<string, string>(), None);

        second.ShouldBe(first);
        Directory.GetDirectories(dir.Path).Length.ShouldBe(2, "Default (0) and bank-marketing");
    }

    private static List<string> Entries(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(root, e).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static List<string> Keys(string metaYaml) => [.. MlflowYaml.Read(metaYaml).Keys.Order(StringComparer.Ordinal)];

    [GeneratedRegex("^[1-9][0-9]{17}$")]
    private static partial Regex ExperimentId();
}
