using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using Tollgate.Modeling.Scoring;
using Tollgate.Serving.Tests.Support;

namespace Tollgate.Serving.Tests.Hosting;

/// <summary>The server on a real candidate trained by the modeling stages: HTTP answers equal in-process scoring.</summary>
public sealed class RealCandidateTests : IClassFixture<RealServerFixture>
{
    private readonly RealServerFixture server;

    public RealCandidateTests(RealServerFixture server)
    {
        this.server = server;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Predict_RealBankRows_SameScoresAsInProcessCandidate()
    {
        var ready = await server.Client.GetAsync("/health/ready", Ct);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK, await ready.Content.ReadAsStringAsync(Ct));

        var rows = RealCandidate.BankRequestRows(200, skip: 30_000);
        var response = await server.Client.PostAsync("/v1/predict", Json(new JsonArray([.. rows.Select(r => (JsonNode)r.DeepClone())])), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var served = JsonNode.Parse(body)!["predictions"]!.AsArray().Select(p => p!["score"]!.GetValue<double>()).ToList();

        using var reference = CandidateModel.Load(server.Run.CandidateDir);
        var expected = reference.Score([.. rows.Select(ToFeatureRow)]);
        served.Count.ShouldBe(200);
        for (var i = 0; i < served.Count; i++)
        {
            served[i].ShouldBe(expected[i].Score, 1e-9, $"row {i}");
        }

        served.Distinct().Count().ShouldBeGreaterThan(20, "a trained model gives varied scores");
        var single = JsonNode.Parse(await (await server.Client.PostAsync("/v1/predict", Json(rows[7]), Ct)).Content.ReadAsStringAsync(Ct))!;
        single["score"]!.GetValue<double>().ShouldBe(served[7], 1e-12, "single and batch requests share one feature path");
        single["label"]!.GetValue<bool>().ShouldBe(served[7] >= reference.Threshold);

        var meta = JsonNode.Parse(await server.Client.GetStringAsync("/v1/metadata", Ct))!;
        meta["version"]!.GetValue<string>().ShouldBe(reference.Metadata.Version);
        meta["commit"]!.GetValue<string>().ShouldBe("test-commit", "the commit comes from the run's run.json");
    }

    [Fact]
    public async Task Explain_RealBankRow_ContributionsSumToRawScore()
    {
        var row = RealCandidate.BankRequestRows(1, skip: 30_007)[0];
        var response = await server.Client.PostAsync("/v1/explain", Json(row), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var explained = JsonNode.Parse(body)!;
        var sum = explained["baseValue"]!.GetValue<double>() + explained["contributions"]!.AsArray().Sum(c => c!["contribution"]!.GetValue<double>());
        sum.ShouldBe(explained["rawScore"]!.GetValue<double>(), 1e-6);
        explained["contributions"]!.AsArray().Count.ShouldBe(14);
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static FeatureRow ToFeatureRow(JsonObject row) => new(
        FakeScoringModel.BankSchema.Numeric.ToDictionary(n => n, n => (float)row[n]!.GetValue<double>()),
        FakeScoringModel.BankSchema.Categorical.ToDictionary(c => c, c => row[c]!.GetValue<string>()));
}
