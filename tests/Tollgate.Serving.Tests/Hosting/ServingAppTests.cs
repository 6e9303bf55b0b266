using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Tollgate.Modeling.Scoring;
using Tollgate.Serving.Tests.Support;

namespace Tollgate.Serving.Tests.Hosting;

/// <summary>The server over real HTTP on 127.0.0.1, with a fake model whose scores the tests can compute.</summary>
public sealed class ServingAppTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture server;

    public ServingAppTests(ServerFixture server)
    {
        this.server = server;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_AfterWarmUp_LiveAndReady()
    {
        (await server.Client.GetAsync("/health/live", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await server.Client.GetAsync("/health/ready", Ct);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK, await ready.Content.ReadAsStringAsync(Ct));
        (await ready.Content.ReadAsStringAsync(Ct)).ShouldContain("\"ready\"");
    }

    [Fact]
    public async Task Metadata_Get_NamesModelVersionThresholdAndImage()
    {
        var meta = JsonNode.Parse(await server.Client.GetStringAsync("/v1/metadata", Ct))!;
        meta["name"]!.GetValue<string>().ShouldBe("bank-marketing");
        meta["version"]!.GetValue<string>().ShouldBe(server.Model.Info.Version);
        meta["runId"]!.GetValue<string>().ShouldBe(server.Model.Info.RunId);
        meta["threshold"]!.GetValue<double>().ShouldBe(0.3);
        meta["commit"]!.GetValue<string>().ShouldBe("0123abc");
        meta["image"]!.GetValue<string>().ShouldBe("127.0.0.1:5000/bank-marketing:test");
        meta["dataPeriod"]!["end"]!.GetValue<string>().ShouldBe("2010-11-17");
        meta["features"]!["numeric"]!.AsArray().Count.ShouldBe(5);
    }

    [Fact]
    public async Task Predict_SingleRow_ReturnsModelScoreAndLabelAtThreshold()
    {
        var row = BankRows.Valid(age: 70, job: "student");
        var response = await server.Client.PostAsJsonAsync("/v1/predict", row, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var json = JsonNode.Parse(body)!;
        var expected = FakeScoringModel.Expected(ToFeatureRow(row));
        json["score"]!.GetValue<double>().ShouldBe(expected, 1e-9);
        json["label"]!.GetValue<bool>().ShouldBe(expected >= 0.3);
        json["model"]!.GetValue<string>().ShouldBe("bank-marketing");
        json["version"]!.GetValue<string>().ShouldBe(server.Model.Info.Version);
    }

    [Fact]
    public async Task Predict_ManyClientsAtOnce_EachGetsItsOwnRowsScore()
    {
        // Single-row requests reuse their parsed row and answer slot once answered: under concurrency, with bad requests
        // (whose rows are cleared half-filled) mixed in, no answer may carry another request's values.
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 600), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (i, ct) =>
        {
            var row = BankRows.Valid(age: 18 + (i % 70), job: i % 3 == 0 ? "student" : "technician", poutcome: i % 5 == 0 ? "success" : "unknown");
            if (i % 7 == 0)
            {
                row.Remove("job"); // a bad request in between: 400, its half-read row goes back to the pool
                var bad = await server.Client.PostAsJsonAsync("/v1/predict", row, ct);
                if (bad.StatusCode != HttpStatusCode.BadRequest)
                {
                    failures.Add($"request {i}: expected 400, got {(int)bad.StatusCode}");
                }

                return;
            }

            var response = await server.Client.PostAsJsonAsync("/v1/predict", row, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var expected = FakeScoringModel.Expected(ToFeatureRow(row));
            var score = response.IsSuccessStatusCode ? JsonNode.Parse(body)!["score"]!.GetValue<double>() : double.NaN;
            if (Math.Abs(score - expected) > 1e-9)
            {
                failures.Add($"request {i}: expected score {expected}, got {body}");
            }
        });
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Predict_Batch_SameScoresAsSingleRequests()
    {
        var rows = new[] { BankRows.Valid(age: 20), BankRows.Valid(age: 50, job: "student"), BankRows.Valid(age: 90, poutcome: "success") };
        var batch = JsonNode.Parse(await (await server.Client.PostAsJsonAsync("/v1/predict", new JsonArray([.. rows.Select(r => r.DeepClone())]), Ct)).Content.ReadAsStringAsync(Ct))!;
        var predictions = batch["predictions"]!.AsArray();
        predictions.Count.ShouldBe(3);
        for (var i = 0; i < rows.Length; i++)
        {
            var single = JsonNode.Parse(await (await server.Client.PostAsJsonAsync("/v1/predict", rows[i], Ct)).Content.ReadAsStringAsync(Ct))!;
            predictions[i]!["score"]!.GetValue<double>().ShouldBe(single["score"]!.GetValue<double>(), $"row {i}: batch and single scoring must agree");
            predictions[i]!["label"]!.GetValue<bool>().ShouldBe(single["label"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task Predict_FieldErrors_Returns400NamingEachField()
    {
        var row = BankRows.Valid();
        row["age"] = "forty";
        row["job"] = "astronaut";
        row.Remove("balance");
        row["ballance"] = 5;
        var response = await server.Client.PostAsJsonAsync("/v1/predict", row, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToList();
        errors.ShouldBe(["age", "job", "ballance", "balance"], ignoreOrder: true);
    }

    [Fact]
    public async Task Predict_BatchWithOneBadRow_NamesTheRowIndex()
    {
        var bad = BankRows.Valid();
        bad["campaign"] = 2.5;
        var response = await server.Client.PostAsJsonAsync("/v1/predict", new JsonArray(BankRows.Valid(), bad), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("\"[1].campaign\"");
    }

    [Fact]
    public async Task Predict_WrongContentType_Returns415()
    {
        var response = await server.Client.PostAsync("/v1/predict", new StringContent(BankRows.Valid().ToJsonString(), Encoding.UTF8, "text/plain"), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Predict_BodyOverLimit_Returns413()
    {
        var huge = new string(' ', 70 * 1024) + BankRows.Valid().ToJsonString();
        using var client = server.NewClient();
        var response = await client.PostAsync("/v1/predict", new StringContent(huge, Encoding.UTF8, "application/json"), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Predict_ChunkedBodyOverLimit_Returns413()
    {
        var huge = Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat("1", 40_000)) + "]");
        using var content = new StreamContent(new MemoryStream(huge));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/predict") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var client = server.NewClient();
        var response = await client.SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Predict_BatchOverRowLimit_Returns413()
    {
        var rows = new JsonArray([.. Enumerable.Range(0, 101).Select(_ => (JsonNode)BankRows.Valid())]);
        using var client = server.NewClient();
        var response = await client.PostAsync("/v1/predict", new StringContent(rows.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Explain_Row_ReturnsContributionsThatSumToRawScore()
    {
        var response = await server.Client.PostAsJsonAsync("/v1/explain", BankRows.Valid(age: 40, job: "student"), Ct);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var sum = json["baseValue"]!.GetValue<double>() + json["contributions"]!.AsArray().Sum(c => c!["contribution"]!.GetValue<double>());
        sum.ShouldBe(json["rawScore"]!.GetValue<double>(), 1e-9);
        json["contributions"]![0]!["feature"]!.GetValue<string>().ShouldBe("job");
    }

    [Fact]
    public async Task ExplainPage_Get_ServesFormWithContractDomain()
    {
        var html = await server.Client.GetStringAsync("/explain", Ct);
        html.ShouldContain("<form");
        html.ShouldContain("<option>blue-collar</option>");
        html.ShouldContain("/v1/explain");
    }

    [Fact]
    public async Task Metrics_AfterRequests_ExposeCountsLatencyAndScores()
    {
        await server.Client.PostAsJsonAsync("/v1/predict", BankRows.Valid(), Ct);
        await server.Client.PostAsync("/v1/predict", new StringContent("{", Encoding.UTF8, "application/json"), Ct);
        var text = await server.Client.GetStringAsync("/metrics", Ct);
        text.ShouldContain("tollgate_http_requests_total{route=\"/v1/predict\",code=\"200\"}");
        text.ShouldContain("tollgate_http_requests_total{route=\"/v1/predict\",code=\"400\"}");
        text.ShouldContain("tollgate_http_request_errors_total{route=\"/v1/predict\",class=\"4xx\"}");
        text.ShouldContain("tollgate_http_request_duration_seconds_bucket{route=\"/v1/predict\",le=\"+Inf\"}");
        text.ShouldContain("tollgate_prediction_score_count");
        text.ShouldContain("tollgate_model_info{model=\"bank-marketing\"");
    }

    [Fact]
    public async Task UnknownRouteAndWrongMethod_Return404And405()
    {
        (await server.Client.GetAsync("/nope", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await server.Client.GetAsync("/v1/predict", Ct)).StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    private static FeatureRow ToFeatureRow(JsonObject row) => new(
        FakeScoringModel.BankSchema.Numeric.ToDictionary(n => n, n => float.Parse(row[n]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)),
        FakeScoringModel.BankSchema.Categorical.ToDictionary(c => c, c => row[c]!.GetValue<string>()));
}
