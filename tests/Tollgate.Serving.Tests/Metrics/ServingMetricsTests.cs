using Shouldly;
using Tollgate.Modeling.Scoring;
using Tollgate.Serving.Metrics;
using Tollgate.Serving.Tests.Support;

namespace Tollgate.Serving.Tests.Metrics;

public sealed class ServingMetricsTests
{
    [Fact]
    public void Render_RequestsOnSeveralRoutesAndStatuses_CountsEachPairSortedWithErrorClassesAndHistograms()
    {
        var metrics = new ServingMetrics(new FakeScoringModel().Info);
        var predict = ServingMetrics.RouteIndexOf("/V1/Predict");
        ServingMetrics.Routes[predict].ShouldBe("/v1/predict");
        metrics.RecordRequest(predict, 200, 0.0002);
        metrics.RecordRequest(predict, 200, 0.003);
        metrics.RecordRequest(predict, 400, 0.0001);
        metrics.RecordRequest(ServingMetrics.RouteIndexOf("/nope"), 404, 0.0001);
        metrics.RecordRequest("/metrics", 999, 0.02); // outside 100–599: the fallback counter

        metrics.RequestCount("/v1/predict", 200).ShouldBe(2);
        metrics.RequestCount("other", 404).ShouldBe(1);
        metrics.RequestCount("/metrics", 999).ShouldBe(1);
        metrics.RequestCount("/v1/explain", 200).ShouldBe(0);
        var text = metrics.Render();
        var lines = text.Split('\n').Where(l => l.StartsWith("tollgate_http_requests_total{", StringComparison.Ordinal)).ToList();
        lines.ShouldBe(
        [
            "tollgate_http_requests_total{route=\"/metrics\",code=\"999\"} 1",
            "tollgate_http_requests_total{route=\"/v1/predict\",code=\"200\"} 2",
            "tollgate_http_requests_total{route=\"/v1/predict\",code=\"400\"} 1",
            "tollgate_http_requests_total{route=\"other\",code=\"404\"} 1",
        ]);
        text.ShouldContain("tollgate_http_request_errors_total{route=\"/metrics\",class=\"5xx\"} 1\n");
        text.ShouldContain("tollgate_http_request_errors_total{route=\"/v1/predict\",class=\"4xx\"} 1\n");
        text.ShouldContain("tollgate_http_request_duration_seconds_bucket{route=\"/v1/predict\",le=\"0.0005\"} 2\n");
        text.ShouldContain("tollgate_http_request_duration_seconds_count{route=\"/v1/predict\"} 3\n");
        text.ShouldNotContain("route=\"/v1/explain\"");
    }

    [Fact]
    public void Render_Predictions_CountsLabelsAndRowsWithoutLabelFromTheScoreHistogram()
    {
        var metrics = new ServingMetrics(new FakeScoringModel().Info);
        metrics.RecordPredictions([new Prediction(0.9, 2, true, 0.5), new Prediction(0.1, -2, false, 0.5), new Prediction(0.2, -1, false, 0.5)]);
        metrics.RecordPredictions([new Prediction(double.NaN, double.NaN, null, null)]);

        var text = metrics.Render();
        text.ShouldContain("tollgate_predictions_total{label=\"positive\"} 1\n");
        text.ShouldContain("tollgate_predictions_total{label=\"negative\"} 2\n");
        text.ShouldContain("tollgate_predictions_total{label=\"none\"} 1\n");
        text.ShouldContain("tollgate_prediction_score_count 4\n");
    }

    [Fact]
    public void Render_AfterAllocating_ReportsTheProcessGarbageCollectorGrowing()
    {
        var metrics = new ServingMetrics(new FakeScoringModel().Info);
        double Series(string text, string name) =>
            double.Parse(text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var before = metrics.Render();
        var block = new byte[1 << 20];
        GC.Collect(0);
        var after = metrics.Render();
        GC.KeepAlive(block);

        Series(after, "dotnet_gc_allocated_bytes_total").ShouldBeGreaterThan(Series(before, "dotnet_gc_allocated_bytes_total") + (1 << 20) - 1);
        Series(after, "dotnet_gc_collections_total{generation=\"0\"}").ShouldBeGreaterThan(Series(before, "dotnet_gc_collections_total{generation=\"0\"}"));
        after.ShouldContain("# TYPE dotnet_gc_pause_seconds_total counter");
    }

    [Fact]
    public void RecordRequest_UnknownRouteLabel_ThrowsNamingIt()
    {
        var metrics = new ServingMetrics(new FakeScoringModel().Info);
        Should.Throw<ArgumentException>(() => metrics.RecordRequest("/v2/predict", 200, 0.001)).Message.ShouldContain("/v2/predict");
    }
}
