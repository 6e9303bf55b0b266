using Shouldly;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Stages;
using Tollgate.Modeling.Tests.Fixtures;

namespace Tollgate.Modeling.Tests.Stages;

public sealed class RegressionExampleTests
{
    [Fact]
    public void HoldoutValidate_SeattleWeather_BeatsSeasonalNaiveAndPassesGates()
    {
        using var fixture = ModelingRun.Create("seattle-weather");

        var train = TrainStage.Run(fixture.Context);
        fixture.Run.WriteReport(train);
        var report = HoldoutValidateStage.Run(fixture.Context);
        fixture.Run.WriteReport(report);

        fixture.Spec.Task.ShouldBe(TaskKind.Regression);
        train.Outcome.ShouldBe(StageOutcome.Passed, train.Summary);
        report.Outcome.ShouldBe(StageOutcome.Passed, report.Summary + "\n" + string.Join("\n", report.Checks.Select(c => c.Message)));
        report.Metrics["rmse"].ShouldBeLessThan(report.Metrics["baseline.rmse"] - 1.0, "the model must beat the seasonal naive forecast");
        report.Details!["baseline"]!.GetValue<string>().ShouldStartWith("seasonal");
        using var candidate = CandidateModel.Load(fixture.Run.CandidateDir);
        candidate.Metadata.Task.ShouldBe("regression");
        var row = new FeatureRow(
            new Dictionary<string, float> { ["day_of_year"] = 200, ["temp_max_prev"] = 27, ["temp_min_prev"] = 15, ["precipitation_prev"] = 0, ["wind_prev"] = 3 },
            new Dictionary<string, string> { ["weather_prev"] = "sun" });
        var prediction = candidate.Score([row])[0];
        prediction.IsPositive.ShouldBeNull();
        prediction.Score.ShouldBeInRange(20, 32, "a sunny July day after 27 °C");
        var explanation = candidate.Explain(row);
        (explanation.BaseValue + explanation.Contributions.Sum(c => c.Contribution)).ShouldBe(prediction.RawScore, 1e-4);
        Console.WriteLine(report.Summary);
    }
}
