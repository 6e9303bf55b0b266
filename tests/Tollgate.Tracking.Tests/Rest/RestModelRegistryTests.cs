using System.Text.Json.Nodes;
using Shouldly;
using Tollgate.Tracking.Rest;
using Tollgate.Tracking.Tests.Fixtures;

namespace Tollgate.Tracking.Tests.Rest;

/// <summary>The registry client against the transcripts of api4.txt: versions, aliases, tags, and the 400 for an unknown alias.</summary>
public sealed class RestModelRegistryTests
{
    private const string RunId = "0fdcac7a1965494bafa8c81db2ec1283";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task EnsureRegisteredModelAsync_CreatedThenAlreadyExists_BothSucceed()
    {
        var first = Transcript.Find("POST /api/2.0/mlflow/registered-models/create", 0);
        var second = Transcript.Find("POST /api/2.0/mlflow/registered-models/create", 1);
        using var server = new MlflowTestServer(TestOptions.Script(first, second));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));
        var registry = new RestModelRegistry(client);

        await registry.EnsureRegisteredModelAsync("churn-model", "built by pipeline", None);
        await registry.EnsureRegisteredModelAsync("churn-model", null, None);

        server.Requests[0].Json["name"]!.GetValue<string>().ShouldBe("churn-model");
        server.Requests[0].Json["description"]!.GetValue<string>().ShouldBe("built by pipeline");
        Same(server.Requests[1].Json, second.Request);
    }

    [Fact]
    public async Task CreateVersionAsync_TranscriptRequest_FieldByFieldAndParsesVersion()
    {
        var exchange = Transcript.Find("POST /api/2.0/mlflow/model-versions/create", 0);
        using var server = new MlflowTestServer(TestOptions.Script(exchange));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var version = await new RestModelRegistry(client).CreateVersionAsync(
            "churn-model",
            $"mlflow-artifacts:/1/{RunId}/artifacts/model",
            RunId,
            "v1",
            new Dictionary<string, string> { ["build"] = "42" },
            None);

        Same(server.Requests.Single().Json, exchange.Request);
        version.Version.ShouldBe("1");
        version.RunId.ShouldBe(RunId);
        version.Tags["build"].ShouldBe("42");
    }

    [Fact]
    public async Task SetAliasAsync_ChampionMovesToVersion2_SendsTranscriptBodiesAndReadsBack()
    {
        using var server = new MlflowTestServer(TestOptions.Script(
            Transcript.Find("POST /api/2.0/mlflow/registered-models/alias", 0),
            Transcript.Find("GET /api/2.0/mlflow/registered-models/alias?name=churn-model&alias=champion", 0),
            Transcript.Find("POST /api/2.0/mlflow/registered-models/alias", 1),
            Transcript.Find("GET /api/2.0/mlflow/registered-models/alias?name=churn-model&alias=champion", 1)));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));
        var registry = new RestModelRegistry(client);

        await registry.SetAliasAsync("churn-model", "champion", "1", None);
        var first = await registry.GetByAliasAsync("churn-model", "champion", None);
        await registry.SetAliasAsync("churn-model", "champion", "2", None);
        var second = await registry.GetByAliasAsync("churn-model", "champion", None);

        Same(server.Requests[0].Json, Transcript.Find("POST /api/2.0/mlflow/registered-models/alias", 0).Request);
        Same(server.Requests[2].Json, Transcript.Find("POST /api/2.0/mlflow/registered-models/alias", 1).Request);
        server.Requests[1].Query("alias").ShouldBe("champion");
        first!.Version.ShouldBe("1");
        first.Aliases.ShouldBe(["champion"]);
        second!.Version.ShouldBe("2");
    }

    [Fact]
    public async Task GetByAliasAsync_UnknownAlias400_ReturnsNull()
    {
        using var server = new MlflowTestServer(TestOptions.Script(Transcript.Find("GET /api/2.0/mlflow/registered-models/alias?name=churn-model&alias=nope")));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var version = await new RestModelRegistry(client).GetByAliasAsync("churn-model", "nope", None);

        version.ShouldBeNull("MLflow answers 400 INVALID_PARAMETER_VALUE for an unknown alias: that means 'not set'");
    }

    [Fact]
    public async Task DeleteAliasAsync_Champion_SendsTranscriptBody()
    {
        var exchange = Transcript.Find("DELETE /api/2.0/mlflow/registered-models/alias");
        using var server = new MlflowTestServer(TestOptions.Script(exchange));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        await new RestModelRegistry(client).DeleteAliasAsync("churn-model", "champion", None);

        server.Requests.Single().Method.ShouldBe("DELETE");
        Same(server.Requests.Single().Json, exchange.Request);
    }

    [Fact]
    public async Task SetVersionTagAsync_Validated_SendsTranscriptBody()
    {
        var exchange = Transcript.Find("POST /api/2.0/mlflow/model-versions/set-tag");
        using var server = new MlflowTestServer(TestOptions.Script(exchange));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        await new RestModelRegistry(client).SetVersionTagAsync("churn-model", "1", "validated", "true", None);

        Same(server.Requests.Single().Json, exchange.Request);
    }

    [Fact]
    public async Task SearchVersionsAsync_TranscriptAnswer_BothVersionsWithTags()
    {
        var exchange = Transcript.Find("GET /api/2.0/mlflow/model-versions/search");
        using var server = new MlflowTestServer(TestOptions.Script(exchange));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var versions = await new RestModelRegistry(client).SearchVersionsAsync("churn-model", None);

        server.Requests.Single().PathAndQuery.ShouldBe(exchange.Path);
        versions.Select(v => v.Version).ShouldBe(["2", "1"]);
        versions[1].Tags["validated"].ShouldBe("true");
    }

    [Fact]
    public async Task GetVersionAsync_Version1_ParsesTranscript()
    {
        var exchange = Transcript.Find("GET /api/2.0/mlflow/model-versions/get?name=churn-model&version=1");
        using var server = new MlflowTestServer(TestOptions.Script(exchange));
        using var client = new MlflowHttpClient(TestOptions.For(server.Uri));

        var version = await new RestModelRegistry(client).GetVersionAsync("churn-model", "1", None);

        server.Requests.Single().PathAndQuery.ShouldBe(exchange.Path);
        version!.Description.ShouldBe("v1");
        version.Source.ShouldBe($"mlflow-artifacts:/1/{RunId}/artifacts/model");
    }

    private static void Same(JsonObject actual, JsonObject expected) =>
        JsonNode.DeepEquals(actual, expected).ShouldBeTrue($"sent {actual.ToJsonString()}\nexpected {expected.ToJsonString()}");
}
