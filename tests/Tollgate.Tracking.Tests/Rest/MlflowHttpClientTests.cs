using System.Text;
using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Tracking.Entities;
using Tollgate.Tracking.Rest;
using Tollgate.Tracking.Tests.Fixtures;

namespace Tollgate.Tracking.Tests.Rest;

public sealed class MlflowHttpClientTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task LogBatchAsync_503TwiceThen200_RetriedAndLoggedOnce()
    {
        var fake = new FakeMlflow();
        using var server = new MlflowTestServer(fake.Handle);
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri, retries: 3));
        var store = new RestTrackingStore(client);
        var exp = await store.GetOrCreateExperimentAsync("e", new Dictionary<string, string>(), None);
        var run = await store.CreateRunAsync(exp, "r", 1, new Dictionary<string, string>(), None);
        var before = server.Requests.Count;

        server.FailNext(2);
        await store.LogBatchAsync(run.RunId, [new MetricPoint("auc", 0.8, 1)], new Dictionary<string, string> { ["seed"] = "42" }, new Dictionary<string, string>(), None);

        server.Requests.Count.ShouldBe(before + 3, "two 503 answers, then the request that succeeded");
        fake.History(run.RunId).ShouldBe([("auc", 0.8)], "the metric is logged once");
        fake.Params(run.RunId)["seed"].ShouldBe("42");
    }

    [Fact]
    public async Task SendAsync_Always503_InfrastructureExceptionAfterRetries()
    {
        using var server = new MlflowTestServer(_ => (503, "busy"));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri, retries: 2));

        var ex = await Should.ThrowAsync<InfrastructureException>(() => client.SendAsync(HttpMethod.Get, "api/2.0/mlflow/experiments/get?experiment_id=0", null, None));

        ex.ExitCode.ShouldBe(ExitCode.InfrastructureUnavailable);
        ex.Message.ShouldContain("HTTP 503");
        ex.Message.ShouldContain("3 attempts");
        server.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task SendAsync_ServerDown_InfrastructureExceptionNamingTheServer()
    {
        var uri = $"http://127.0.0.1:{MlflowTestServer.FreePort()}";
        using var client = new MlflowHttpClient(TestOptions.For(uri, retries: 1));

        var ex = await Should.ThrowAsync<InfrastructureException>(() => client.SendAsync(HttpMethod.Get, "api/2.0/mlflow/experiments/get?experiment_id=0", null, None));

        ex.Message.ShouldContain(uri);
        ex.Message.ShouldContain("tracking: optional: true");
    }

    [Fact]
    public async Task SendAsync_Token_SendsBearerHeader()
    {
        using var server = new MlflowTestServer(_ => (200, "{}"));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri) with { Token = "s3cret" });

        await client.SendAsync(HttpMethod.Get, "api/2.0/mlflow/experiments/get?experiment_id=0", null, None);

        server.Requests.Single().Authorization.ShouldBe("Bearer s3cret");
    }

    [Fact]
    public async Task SendAsync_UsernameAndPassword_SendsBasicHeader()
    {
        using var server = new MlflowTestServer(_ => (200, "{}"));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri) with { Username = "ci", Password = "pw" });

        await client.SendAsync(HttpMethod.Get, "api/2.0/mlflow/experiments/get?experiment_id=0", null, None);

        server.Requests.Single().Authorization.ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:pw")));
    }

    [Fact]
    public async Task SendAsync_Unauthorized_ConfigurationErrorNamingTheAuthVariables()
    {
        using var server = new MlflowTestServer(_ => (401, "{\"error_code\": \"UNAUTHENTICATED\", \"message\": \"You are not authenticated.\"}"));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var ex = await Should.ThrowAsync<MlflowApiException>(() => client.SendAsync(HttpMethod.Get, "api/2.0/mlflow/experiments/get?experiment_id=0", null, None));

        ex.ExitCode.ShouldBe(ExitCode.Configuration);
        ex.Message.ShouldContain("MLFLOW_TRACKING_TOKEN");
    }

    [Fact]
    public async Task SendAsync_PostWithoutJsonContentType_FakeRefusesLikeMlflow()
    {
        // Guards the fake itself: MLflow answers 400 to a POST without application/json (api5.txt), and so must the fake,
        // or tests could pass against it with requests a real server refuses.
        var expected = Transcript.Find("POST runs/log-batch WITHOUT Content-Type header");
        var fake = new FakeMlflow();

        var (status, body) = fake.Handle(new RecordedRequest("POST", "/api/2.0/mlflow/runs/log-batch", null, null, Encoding.UTF8.GetBytes("{}")));

        status.ShouldBe(expected.Status);
        System.Text.Json.Nodes.JsonNode.Parse(body)!["message"]!.GetValue<string>()
            .ShouldBe(System.Text.Json.Nodes.JsonNode.Parse(expected.ResponseBody)!["message"]!.GetValue<string>());
    }
}
