using Shouldly;
using Tollgate.Release.Shadow;
using Tollgate.Testing;

namespace Tollgate.Release.Tests.Shadow;

public sealed class MirrorLogReaderTests
{
    [Fact]
    public void Read_MixedVersionsAndTornLine_ReturnsThisShadowsExchangesWithScores()
    {
        using var dir = new TempDir("mirror");
        var path = dir.Combine("mirror.jsonl");
        File.WriteAllText(path, string.Join('\n',
            Line("v2", 200, "{\\\"score\\\":0.2,\\\"label\\\":false}", 200, "{\\\"score\\\":0.7,\\\"label\\\":true}"),
            Line("v3", 200, "{\\\"score\\\":0.2,\\\"label\\\":false}", 200, "{\\\"score\\\":0.2,\\\"label\\\":false}"),
            Line("v2", 200, "{\\\"score\\\":0.4,\\\"label\\\":false}", 503, "{\\\"error\\\":\\\"busy\\\"}"),
            "{\"requestId\":\"torn\",\"shadowVers"));

        var exchanges = MirrorLogReader.Read(path, "v2", fromOffset: 0);

        exchanges.Count.ShouldBe(2);
        exchanges[0].Disagrees.ShouldBeTrue();
        exchanges[0].Candidate.Score.ShouldBe(0.7);
        exchanges[0].Request["age"]!.GetValue<int>().ShouldBe(41);
        exchanges[1].Candidate.IsError.ShouldBeTrue("a 503 from the shadow counts against its error rate");
        exchanges[1].Production!.IsError.ShouldBeFalse();
        var m = ShadowMeasurements.Of(exchanges);
        m.CandidateErrorRate.ShouldBe(0.5);
        m.Agreement.ShouldBe(0);
    }

    private static string Line(string shadowVersion, int productionStatus, string productionBody, int shadowStatus, string shadowBody) =>
        $"{{\"requestId\":\"r\",\"at\":\"2026-11-27T08:00:00Z\",\"method\":\"POST\",\"path\":\"/v1/predict\",\"requestBody\":\"{{\\\"age\\\":41}}\"," +
        $"\"productionVersion\":\"v1\",\"productionStatus\":{productionStatus},\"productionMs\":3.5,\"productionBody\":\"{productionBody}\"," +
        $"\"shadowVersion\":\"{shadowVersion}\",\"shadowStatus\":{shadowStatus},\"shadowMs\":4.5,\"shadowBody\":\"{shadowBody}\"}}";
}
