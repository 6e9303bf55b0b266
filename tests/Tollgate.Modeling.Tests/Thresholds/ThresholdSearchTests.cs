using Shouldly;
using Tollgate.Modeling.Evaluation;
using Tollgate.Modeling.Thresholds;

namespace Tollgate.Modeling.Tests.Thresholds;

public sealed class ThresholdSearchTests
{
    private static readonly float[] Labels = [1, 1, 0, 1, 0, 0, 1, 0];
    private static readonly double[] Scores = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.1];

    [Fact]
    public void Choose_RecallFloorThenPrecision_PicksHighestThresholdMeetingRecall()
    {
        var requirement = new ThresholdRequirement("precision", new Dictionary<string, double> { ["recall"] = 0.75 }, 1, 1);
        var points = ThresholdSearch.Points(ThresholdCurve.Build(Labels, Scores), requirement);

        var chosen = ThresholdSearch.Choose(points, requirement);

        chosen.ShouldNotBeNull();
        chosen.Threshold.ShouldBe(0.6, "at 0.6 three of four positives are caught with precision 3/4");
        chosen.Precision.ShouldBe(0.75);
        points.Count.ShouldBe(8, "every distinct score is a candidate threshold");
    }

    [Fact]
    public void Choose_CostObjective_MinimisesExpectedCost()
    {
        // Missing a positive costs 10× a false alarm: the cheapest threshold catches every positive.
        var requirement = new ThresholdRequirement("cost", new Dictionary<string, double>(), 1, 10);
        var points = ThresholdSearch.Points(ThresholdCurve.Build(Labels, Scores), requirement);

        ThresholdSearch.Choose(points, requirement)!.Threshold.ShouldBe(0.3);
    }

    [Fact]
    public void BestAchievable_ImpossibleFloors_ReportsBestOfEach()
    {
        var requirement = new ThresholdRequirement("f1", new Dictionary<string, double> { ["recall"] = 1.0, ["precision"] = 0.9 }, 1, 1);
        var points = ThresholdSearch.Points(ThresholdCurve.Build(Labels, Scores), requirement);

        ThresholdSearch.Choose(points, requirement).ShouldBeNull();
        var best = ThresholdSearch.BestAchievable(points, requirement);
        best["precision"].ShouldBe(4 / 7.0, 1e-12);
        best["recall"].ShouldBe(0.5);
    }
}
