using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Evaluation;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Stages;
using Tollgate.Modeling.Tests.Fixtures;
using Tollgate.Modeling.Thresholds;

namespace Tollgate.Modeling.Tests.Stages;

public sealed class LearnThresholdsStageTests(CandidateFixture fixture) : IClassFixture<CandidateFixture>
{
    [Fact]
    public void Run_RecallRequirement_ThresholdMeetsItOnTheSavedScores()
    {
        var context = fixture.Run.ContextWith(y => FastSpec.With("thresholds:\n  objective: precision\n  minimum: { recall: 0.8 }")(y));

        var report = LearnThresholdsStage.Run(context);

        report.Outcome.ShouldBe(StageOutcome.Passed, report.Summary);
        var meta = TollgateJson.ReadFile<CandidateMetadata>(Path.Combine(fixture.Run.Run.CandidateDir, CandidateMetadata.FileName));
        var record = TollgateJson.ReadFile<ThresholdRecord>(Path.Combine(fixture.Run.Run.CandidateDir, CandidateModel.ThresholdFileName));
        meta.Threshold.ShouldBe(record.Threshold);
        meta.ThresholdSource.ShouldContain("recall ≥ 0.8");

        // Recompute from the saved holdout scores, independently of the search.
        var scores = HoldoutScores.Read(fixture.Run.StagePath(StageName.HoldoutValidate, HoldoutScores.FileName));
        var cm = ConfusionMatrix.At(scores.Labels, scores.Scores, meta.Threshold);
        cm.Recall.ShouldBeGreaterThanOrEqualTo(0.8);
        cm.Precision.ShouldBe(record.Holdout["precision"], 1e-12);

        // Maximising precision: no distinct score that keeps recall ≥ 0.8 gives a higher precision (brute force).
        var bestPrecision = scores.Scores.Distinct()
            .Select(t => ConfusionMatrix.At(scores.Labels, scores.Scores, t))
            .Where(m => m.Recall >= 0.8)
            .Max(m => m.Precision);
        cm.Precision.ShouldBe(bestPrecision, 1e-12);

        using var candidate = CandidateModel.Load(fixture.Run.Run.CandidateDir);
        candidate.Threshold.ShouldBe(meta.Threshold, "the served model uses the learned threshold");
    }

    [Fact]
    public void Run_ImpossibleRequirement_RejectedNamingBestAchievable()
    {
        var metaPath = Path.Combine(fixture.Run.Run.CandidateDir, CandidateMetadata.FileName);
        var before = TollgateJson.ReadFile<CandidateMetadata>(metaPath).Threshold;
        var context = fixture.Run.ContextWith(y => FastSpec.With("thresholds:\n  objective: f1\n  minimum: { recall: 0.95, precision: 0.95 }")(y));

        var report = LearnThresholdsStage.Run(context);

        report.Outcome.ShouldBe(StageOutcome.Rejected);
        var check = report.Checks.Single();
        check.Message.ShouldContain("no threshold on the holdout meets");
        check.Message.ShouldContain("best precision while the other floors hold");
        report.Metrics["bestAchievable.precision"].ShouldBeLessThan(0.95);
        TollgateJson.ReadFile<CandidateMetadata>(metaPath).Threshold.ShouldBe(before, "a rejected search leaves the threshold alone");
    }

    [Fact]
    public void Run_NoThresholdsSection_SkippedWithReason()
    {
        var report = LearnThresholdsStage.Run(fixture.Run.ContextWith(FastSpec.Apply));

        report.Outcome.ShouldBe(StageOutcome.Skipped);
        report.Summary.ShouldContain("no 'thresholds:' section");
    }

    [Fact]
    public void Run_CostObjectiveWithoutCosts_ThrowsConfigurationError()
    {
        var context = fixture.Run.ContextWith(y => FastSpec.With("thresholds:\n  objective: cost")(y));

        var ex = Should.Throw<ConfigurationException>(() => LearnThresholdsStage.Run(context));

        ex.Message.ShouldContain("costs");
    }
}
