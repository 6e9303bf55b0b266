using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Scoring;
using Tollgate.Release.Images;
using Tollgate.Serving.Tests.Support;
using Tollgate.Testing;

namespace Tollgate.Release.Tests.Images;

/// <summary>Build-Image on a real Docker engine and registry on 127.0.0.1.</summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class BuildImageStageDockerTests
{
    private readonly ImageBuildFixture fixture;

    public BuildImageStageDockerTests(ImageBuildFixture fixture)
    {
        this.fixture = fixture;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_Candidate_PushesImageWithDigestLabelsNonRootUserAndHealthcheck()
    {
        var builds = await RequireBuildsAsync();
        var first = builds.First;
        builds.FirstReport.Outcome.ShouldBe(StageOutcome.Passed);
        first.Digest.ShouldStartWith("sha256:");
        first.Reference.ShouldBe($"{Infrastructure.Registry}/bank-marketing:{first.Version}");
        File.Exists(Path.Combine(builds.FirstRun.Root, StageName.BuildImage, "Dockerfile")).ShouldBeTrue("the generated Dockerfile is kept in the run directory");

        using var engine = await ImageBuildFixture.EngineAsync();
        var image = await engine.InspectImageAsync(first.ReferenceByDigest!, Ct);
        image.Config.User.ShouldBe("10001:10001", "the server must not run as root");
        image.Config.Healthcheck.ShouldNotBeNull();
        image.Config.Healthcheck.Test.ShouldContain("--healthcheck");
        var labels = image.Config.Labels;
        labels["io.tollgate.model.version"].ShouldBe(first.Version);
        labels["io.tollgate.run-id"].ShouldBe(builds.FirstRun.RunId);
        labels["org.opencontainers.image.revision"].ShouldBe("test-commit");
        labels.ShouldContainKey("org.opencontainers.image.created");
        labels.ShouldContainKey("org.opencontainers.image.source");
        labels.ShouldContainKey("io.tollgate.data.sha256");
        labels.ShouldContainKey("io.tollgate.holdout.auc");
        labels.ShouldContainKey("io.tollgate.threshold");
        image.Config.Env.ShouldAllBe(e => !e.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) && !e.Contains("TOKEN", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RunAsync_Retrain_ReusesServerLayerAndChangesOnlyModelLayer()
    {
        var builds = await RequireBuildsAsync();
        builds.Retrained.Digest.ShouldNotBe(builds.First.Digest);
        builds.Retrained.ServerLayer.ShouldBe(builds.First.ServerLayer, "a retrain must not rebuild the server layer");
        builds.Retrained.ModelLayer.ShouldNotBe(builds.First.ModelLayer);
        builds.Retrained.CachedSteps!.Value.ShouldBeGreaterThanOrEqualTo(7, "the env, server, user, workdir, expose, healthcheck and entrypoint steps come from the cache");
    }

    [Fact]
    public async Task Image_PulledByDigestAndRun_AnswersLikeTheInProcessModel()
    {
        var builds = await RequireBuildsAsync();
        using var engine = await ImageBuildFixture.EngineAsync();
        var byDigest = builds.First.ReferenceByDigest!;
        await engine.RemoveImageAsync(builds.First.Reference!, Ct);
        await engine.PullAsync(byDigest, Ct);

        var port = FreePort();
        var id = await engine.RunAsync(byDigest, new Dictionary<string, string> { ["TOLLGATE_SERVING_URLS"] = $"http://127.0.0.1:{port}" }, $"tollgate-test-{Guid.NewGuid():N}", Ct);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitReadyAsync(client, engine, id);
            var rows = RealCandidate.BankRequestRows(50, skip: 40_000);
            var response = await client.PostAsync("/v1/predict", new StringContent(new JsonArray([.. rows.Select(r => (JsonNode)r.DeepClone())]).ToJsonString(), Encoding.UTF8, "application/json"), Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            var served = JsonNode.Parse(body)!["predictions"]!.AsArray().Select(p => p!["score"]!.GetValue<double>()).ToList();

            using var reference = CandidateModel.Load(builds.FirstRun.CandidateDir);
            var expected = reference.Score([.. rows.Select(r => new FeatureRow(
                reference.Features.Numeric.ToDictionary(n => n, n => (float)r[n]!.GetValue<double>()),
                reference.Features.Categorical.ToDictionary(c => c, c => r[c]!.GetValue<string>())))]);
            for (var i = 0; i < served.Count; i++)
            {
                served[i].ShouldBe(expected[i].Score, 1e-9, $"row {i}: the container must score exactly like the candidate in process");
            }

            var meta = JsonNode.Parse(await client.GetStringAsync("/v1/metadata", Ct))!;
            meta["image"]!.GetValue<string>().ShouldBe(builds.First.Reference);
            meta["version"]!.GetValue<string>().ShouldBe(builds.First.Version);
        }
        finally
        {
            await engine.RemoveContainerAsync(id, CancellationToken.None);
        }
    }

    private async Task<ImageBuilds> RequireBuildsAsync()
    {
        Infrastructure.RequireDocker();
        Infrastructure.RequireRegistry();
        return await fixture.GetAsync();
    }

    private static async Task WaitReadyAsync(HttpClient client, Tollgate.Release.Docker.DockerEngine engine, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await client.GetAsync("/health/ready", Ct)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250, Ct);
        }

        Assert.Fail($"the container never became ready; its log:\n{await engine.LogsAsync(id, CancellationToken.None)}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
