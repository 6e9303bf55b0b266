using Shouldly;
using Tollgate.Core.Reports;
using Tollgate.Core.Stages;

namespace Tollgate.Core.Tests.Reports;

public sealed class HtmlReportTests
{
    [Fact]
    public void Checks_MixedResults_ListsErrorsBeforeWarningsBeforePasses()
    {
        var report = new HtmlReport("validate-data");
        report.Checks(
        [
            new CheckResult("ok.1", Severity.Error, CheckStatus.Passed, "fine"),
            new CheckResult("warn.1", Severity.Warning, CheckStatus.Failed, "drifted"),
            new CheckResult("err.1", Severity.Error, CheckStatus.Failed, "age out of range"),
        ]);

        var html = report.ToHtml();

        html.IndexOf("err.1", StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf("warn.1", StringComparison.Ordinal));
        html.IndexOf("warn.1", StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf("ok.1", StringComparison.Ordinal));
    }

    [Fact]
    public void Paragraph_HtmlInText_IsEncoded()
    {
        var html = new HtmlReport("t").Paragraph("<script>alert(1)</script>").ToHtml();

        html.ShouldNotContain("<script>");
        html.ShouldContain("&lt;script&gt;");
    }

    [Fact]
    public void Lines_TwoSeries_DrawsOnePolylinePerSeriesAndAMarker()
    {
        var svg = SvgChart.Lines(
            "ROC",
            "FPR",
            "TPR",
            [new ChartSeries("model", [0, 0.5, 1], [0, 0.8, 1]), new ChartSeries("baseline", [0, 1], [0, 1])],
            markers: [(0.5, 0.8, "t=0.31")]);

        svg.Split("<polyline").Length.ShouldBe(3);
        svg.ShouldContain("<circle");
        svg.ShouldContain("t=0.31");
    }
}
