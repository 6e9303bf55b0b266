using System.Text.Json.Nodes;
using Shouldly;
using Tollgate.Testing;
using Tollgate.Tracking.Entities;
using Tollgate.Tracking.Rest;
using Tollgate.Tracking.Tests.Fixtures;

namespace Tollgate.Tracking.Tests.Rest;

/// <summary>The REST tracking client against a 127.0.0.1 server answering with the captured MLflow 3.6 transcripts.</summary>
public sealed class RestTrackingStoreTests
{
    private const string RunId = "0fdcac7a1965494bafa8c81db2ec1283";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task GetOrCreateExperimentAsync_Missing_Gets404ThenCreatesWithTranscriptFields()
    {
        var create = Transcript.Find("POST /api/2.0/mlflow/experiments/create", 0);
        using var server = new MlflowTestServer(TestOptions.Script(Transcript.Find("GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=does-not-exist"), create));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var id = await new RestTrackingStore(client).GetOrCreateExperimentAsync("csharp-pipeline", new Dictionary<string, string> { ["team"] = "mlops" }, None);

        id.ShouldBe("1");
        var requests = server.Requests;
        requests[0].Method.ShouldBe("GET");
        requests[0].Path.ShouldBe("/api/2.0/mlflow/experiments/get-by-name");
        requests[0].Query("experiment_name").ShouldBe("csharp-pipeline");
        requests[1].Method.ShouldBe("POST");
        requests[1].Path.ShouldBe(create.Path);
        requests[1].ContentType!.ShouldStartWith("application/json");
        AssertSameJson(requests[1].Json, create.Request);
    }

    [Fact]
    public async Task GetOrCreateExperimentAsync_Exists_ReturnsIdWithoutCreating()
    {
        using var server = new MlflowTestServer(TestOptions.Script(Transcript.Find("GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=csharp-pipeline")));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var id = await new RestTrackingStore(client).GetOrCreateExperimentAsync("csharp-pipeline", new Dictionary<string, string>(), None);

        id.ShouldBe("1");
        server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetOrCreateExperimentAsync_CreatedConcurrently_400AlreadyExistsThenUsesTheirs()
    {
        using var server = new MlflowTestServer(TestOptions.Script(
            Transcript.Find("GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=does-not-exist"),
            Transcript.Find("POST /api/2.0/mlflow/experiments/create", 1),
            Transcript.Find("GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=csharp-pipeline")));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var id = await new RestTrackingStore(client).GetOrCreateExperimentAsync("csharp-pipeline", new Dictionary<string, string>(), None);

        id.ShouldBe("1");
        AssertSameJson(server.Requests[1].Json, Transcript.Find("POST /api/2.0/mlflow/experiments/create", 1).Request);
    }

    [Fact]
    public async Task LogBatchAsync_TranscriptBatch_RequestMatchesFieldByField()
    {
        var exchange = Transcript.Find("POST /api/2.0/mlflow/runs/log-batch", 0);
        using var server = new MlflowTestServer(TestOptions.Script(exchange));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));
        var expected = exchange.Request;

        await new RestTrackingStore(client).LogBatchAsync(
            RunId,
            [new MetricPoint("accuracy", 0.91, 1795762545379, 0), new MetricPoint("accuracy", 0.95, 1795762546379, 1), new MetricPoint("loss", 0.2, 1795762545379)],
            new Dictionary<string, string> { ["lr"] = "0.01", ["epochs"] = "10" },
            new Dictionary<string, string> { ["stage"] = "train" },
            None);

        var sent = server.Requests.Single();
        sent.Path.ShouldBe(exchange.Path);
        sent.ContentType!.ShouldStartWith("application/json");
        var body = sent.Json;
        body["run_id"]!.GetValue<string>().ShouldBe(expected["run_id"]!.GetValue<string>());
        KeyValues(body["params"]).ShouldBe(KeyValues(expected["params"]), ignoreOrder: true);
        KeyValues(body["tags"]).ShouldBe(KeyValues(expected["tags"]), ignoreOrder: true);
        var metrics = body["metrics"]!.AsArray();
        var expectedMetrics = expected["metrics"]!.AsArray();
        metrics.Count.ShouldBe(expectedMetrics.Count);
        for (var i = 0; i < metrics.Count; i++)
        {
            metrics[i]!["key"]!.GetValue<string>().ShouldBe(expectedMetrics[i]!["key"]!.GetValue<string>());
            metrics[i]!["value"]!.GetValue<double>().ShouldBe(expectedMetrics[i]!["value"]!.GetValue<double>());
            metrics[i]!["timestamp"]!.GetValue<long>().ShouldBe(expectedMetrics[i]!["timestamp"]!.GetValue<long>());
            metrics[i]!["step"]!.GetValue<long>().ShouldBe(expectedMetrics[i]!["step"]?.GetValue<long>() ?? 0, "MLflow's default step is 0");
        }
    }

    [Fact]
    public async Task LogBatchAsync_ChangedParam400_ThrowsParamConflictNamingOldAndNewValue()
    {
        var exchange = Transcript.Find("POST /api/2.0/mlflow/runs/log-batch", 1);
        using var server = new MlflowTestServer(TestOptions.Script(exchange));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var ex = await Should.ThrowAsync<ParamConflictException>(() => new RestTrackingStore(client).LogBatchAsync(
            RunId, [], new Dictionary<string, string> { ["lr"] = "0.02" }, new Dictionary<string, string>(), None));

        AssertSameJson(server.Requests.Single().Json, exchange.Request);
        ex.Key.ShouldBe("lr");
        ex.OldValue.ShouldBe("0.01");
        ex.NewValue.ShouldBe("0.02");
        server.Requests.Count.ShouldBe(1, "a 400 is not retried");
    }

    [Fact]
    public async Task LogBatchAsync_OverTheLimits_SplitsIntoBatchesMlflowAccepts()
    {
        var fake = new FakeMlflow();
        using var server = new MlflowTestServer(fake.Handle);
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));
        var store = new RestTrackingStore(client);
        var exp = await store.GetOrCreateExperimentAsync("e", new Dictionary<string, string>(), None);
        var run = await store.CreateRunAsync(exp, "r", 1, new Dictionary<string, string>(), None);

        await store.LogBatchAsync(
            run.RunId,
            [.. Enumerable.Range(0, 2500).Select(i => new MetricPoint($"m{i}", i, 1, 0))],
            Enumerable.Range(0, 250).ToDictionary(i => $"p{i}", i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Enumerable.Range(0, 150).ToDictionary(i => $"t{i}", _ => "v"),
            None);

        var batches = server.Requests.Where(r => r.Path.EndsWith("/runs/log-batch", StringComparison.Ordinal)).Select(r => r.Json).ToList();
        batches.Count.ShouldBe(3);
        batches.ShouldAllBe(b => (b["metrics"] == null || b["metrics"]!.AsArray().Count <= 1000)
            && (b["params"] == null || b["params"]!.AsArray().Count <= 100)
            && (b["tags"] == null || b["tags"]!.AsArray().Count <= 100));
        fake.History(run.RunId).Count.ShouldBe(2500);
        fake.Params(run.RunId).Count.ShouldBe(250);
    }

    [Fact]
    public async Task LogBatchAsync_NaNAndInfinity_SentAsMlflowsJsonStrings()
    {
        using var server = new MlflowTestServer(_ => (200, "{}"));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        await new RestTrackingStore(client).LogBatchAsync(
            RunId,
            [new MetricPoint("a", double.NaN, 1), new MetricPoint("b", double.PositiveInfinity, 1), new MetricPoint("c", double.NegativeInfinity, 1)],
            new Dictionary<string, string>(),
            new Dictionary<string, string>(),
            None);

        var values = server.Requests.Single().Json["metrics"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).ToList();
        values.ShouldBe(["NaN", "Infinity", "-Infinity"]);
    }

    [Fact]
    public async Task UpdateRunAsync_Finished_SendsTranscriptFields()
    {
        var exchange = Transcript.Find("POST /api/2.0/mlflow/runs/update", 0);
        using var server = new MlflowTestServer(TestOptions.Script(exchange));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        await new RestTrackingStore(client).UpdateRunAsync(RunId, MlflowRunStatus.Finished, 1795762550379, None);

        AssertSameJson(server.Requests.Single().Json, exchange.Request);
    }

    [Fact]
    public async Task GetRunAsync_TranscriptRun_ReadsInfoParamsMetricsTags()
    {
        using var server = new MlflowTestServer(TestOptions.Script(Transcript.Find($"GET /api/2.0/mlflow/runs/get?run_id={RunId}")));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var run = await new RestTrackingStore(client).GetRunAsync(RunId, None);

        server.Requests.Single().Query("run_id").ShouldBe(RunId);
        run!.RunName.ShouldBe("build-42");
        run.Status.ShouldBe(MlflowRunStatus.Finished);
        run.ArtifactUri.ShouldBe($"mlflow-artifacts:/1/{RunId}/artifacts");
        run.Metrics["accuracy"].ShouldBe(0.95);
        run.Params["batch_size"].ShouldBe("32");
        run.Tags["git.commit"].ShouldBe("abc123");
    }

    [Fact]
    public async Task FindRunsByTagAsync_SearchAnswer_ParsesRunsAndSendsFilter()
    {
        using var server = new MlflowTestServer(TestOptions.Script(Transcript.Find("POST /api/2.0/mlflow/runs/search")));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var runs = await new RestTrackingStore(client).FindRunsByTagAsync("1", "tollgate.run_id", "build-42", None);

        runs.Single().RunId.ShouldBe(RunId);
        var body = server.Requests.Single().Json;
        body["experiment_ids"]!.AsArray().Select(i => i!.GetValue<string>()).ShouldBe(["1"]);
        body["filter"]!.GetValue<string>().ShouldBe("tags.`tollgate.run_id` = 'build-42'");
        body["max_results"]!.GetValue<int>().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task GetMetricHistoryAsync_Always_SendsMaxResults()
    {
        using var server = new MlflowTestServer(TestOptions.Script(Transcript.Find("GET /api/2.0/mlflow/metrics/get-history")));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var history = await new RestTrackingStore(client).GetMetricHistoryAsync(RunId, "accuracy", None);

        var sent = server.Requests.Single();
        sent.Query("max_results").ShouldNotBeNull("without max_results MLflow >= 3.4 returns no metrics");
        sent.Query("metric_key").ShouldBe("accuracy");
        history.ShouldBeEmpty("the transcript's answer holds no metrics");
    }

    [Fact]
    public async Task LogArtifactAsync_File_PutsBytesToTheArtifactProxyPath()
    {
        var exchange = Transcript.Find("PUT /api/2.0/mlflow-artifacts/artifacts/");
        using var dir = new TempDir();
        var file = dir.Combine("metrics.json");
        File.WriteAllText(file, "{\"accuracy\":0.95}\n");
        using var server = new MlflowTestServer(TestOptions.Script(exchange));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));
        var run = new TrackedRun { RunId = RunId, ExperimentId = "1", Status = MlflowRunStatus.Running, ArtifactUri = $"mlflow-artifacts:/1/{RunId}/artifacts" };

        await new RestTrackingStore(client).LogArtifactAsync(run, file, "reports/metrics.json", None);

        var sent = server.Requests.Single();
        sent.Method.ShouldBe("PUT");
        sent.Path.ShouldBe(exchange.Path);
        sent.ContentType.ShouldBe("application/json");
        sent.Text.ShouldBe("{\"accuracy\":0.95}\n");
    }

    [Fact]
    public async Task ListArtifactsAsync_TranscriptAnswer_ReturnsPaths()
    {
        using var server = new MlflowTestServer(TestOptions.Script(Transcript.Find($"GET /api/2.0/mlflow/artifacts/list?run_id={RunId}&path=model")));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));
        var run = new TrackedRun { RunId = RunId, ExperimentId = "1", Status = MlflowRunStatus.Running, ArtifactUri = $"mlflow-artifacts:/1/{RunId}/artifacts" };

        var files = await new RestTrackingStore(client).ListArtifactsAsync(run, "model", None);

        files.ShouldBe(["model/model.bin"]);
        server.Requests.Single().Query("path").ShouldBe("model");
    }

    [Fact]
    public async Task SendAsync_HtmlNotFound_SaysItIsNotAnMlflowEndpoint()
    {
        using var server = new MlflowTestServer(TestOptions.Script(Transcript.Find("GET /api/2.0/mlflow/does-not-exist")));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var ex = await Should.ThrowAsync<MlflowApiException>(() => client.SendAsync(HttpMethod.Get, "api/2.0/mlflow/does-not-exist", null, None));

        ex.Status.ShouldBe(System.Net.HttpStatusCode.NotFound);
        ex.ErrorCode.ShouldBeNull();
        ex.Message.ShouldContain("not an MLflow endpoint");
    }

    [Fact]
    public async Task GetRunAsync_UnknownRun404_ReturnsNull()
    {
        var notFound = Transcript.Exchanges.First(e => e.Status == 404 && e.ResponseBody.Contains("Run with id=", StringComparison.Ordinal));
        using var server = new MlflowTestServer(_ => (notFound.Status, notFound.ResponseBody));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        (await new RestTrackingStore(client).GetRunAsync(new string('0', 32), None)).ShouldBeNull();
    }

    private static void AssertSameJson(JsonObject actual, JsonObject expected) =>
        JsonNode.DeepEquals(actual, expected).ShouldBeTrue($"sent {actual.ToJsonString()}\nexpected {expected.ToJsonString()}");

    private static List<string> KeyValues(JsonNode? array) =>
        [.. array!.AsArray().Select(p => $"{p!["key"]!.GetValue<string>()}={p["value"]!.GetValue<string>()}")];
}
