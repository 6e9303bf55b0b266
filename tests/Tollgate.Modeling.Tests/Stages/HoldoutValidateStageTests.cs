using Shouldly;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Evaluation;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Stages;
using Tollgate.Modeling.Tests.Fixtures;

namespace Tollgate.Modeling.Tests.Stages;

public sealed class HoldoutValidateStageTests
{
    [Fact]
    public void Run_BankExample_PassesAndWritesCandidate()
    {
        // The real model.yaml, unchanged: the bundled example must clear its own gates.
        using var fixture = ModelingRun.Create();

        var (train, report) = TrainAndValidate(fixture);

        report.Outcome.ShouldBe(StageOutcome.Passed, report.Summary);
        report.Metrics["auc"].ShouldBeGreaterThan(0.65);
        (report.Metrics["auc"] - report.Metrics["baseline.auc"]).ShouldBeGreaterThanOrEqualTo(0.10);
        report.Metrics["auc.ciLow"].ShouldBeLessThan(report.Metrics["auc"]);
        report.Metrics["auc.ciHigh"].ShouldBeGreaterThan(report.Metrics["auc"]);
        using var candidate = CandidateModel.Load(fixture.Run.CandidateDir);
        candidate.Metadata.HoldoutMetrics["auc"].ShouldBe(report.Metrics["auc"]);
        candidate.Metadata.BaselineMetrics["auc"].ShouldBe(0.5, "the prior baseline scores every row the same");
        candidate.Metadata.Threshold.ShouldBe(0.5);
        candidate.Metadata.SpecSha256.ShouldBe(fixture.Spec.SpecSha256);
        candidate.Metadata.Version.ShouldBe(fixture.Run.RunId);
        candidate.Metadata.TrainingRows.ShouldBe((int)(train.Metrics["trainRows"] + train.Metrics["holdoutRows"]));
        File.Exists(fixture.StagePath(StageName.HoldoutValidate, "report.html")).ShouldBeTrue();
        report.Checks.ShouldContain(c => c.Id == "gate.auc.gainSignificant" && c.Status == CheckStatus.Passed);
        report.Checks.ShouldContain(c => c.Id == "slice.age.recall.disparity" && c.Status == CheckStatus.Passed);

        // The example's own threshold requirement (recall ≥ 0.6) is met and stored with the candidate.
        fixture.Run.WriteReport(report);
        var thresholds = LearnThresholdsStage.Run(fixture.Context);
        thresholds.Outcome.ShouldBe(StageOutcome.Passed, thresholds.Summary);
        thresholds.Metrics["recall"].ShouldBeGreaterThanOrEqualTo(0.6);
        var summary = File.ReadAllText(Path.Combine(fixture.Run.Root, Reports.RunSummaryHtml.FileName));
        summary.ShouldContain("holdout-validate/report.html");
        summary.ShouldContain("learn-thresholds/report.html");
    }

    [Fact]
    public void Run_ShuffledLabels_RejectedAgainstBaselineAndNoCandidate()
    {
        using var fixture = ModelingRun.Create(editSpec: FastSpec.Apply, editRows: (header, rows) =>
        {
            var y = ModelingRun.Column(header, "y");
            var labels = rows.Select(r => r[y]).ToArray();
            new Random(7).Shuffle(labels);
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i][y] = labels[i];
            }
        });

        var (_, report) = TrainAndValidate(fixture);

        report.Outcome.ShouldBe(StageOutcome.Rejected);
        var gain = report.Checks.Single(c => c.Id == "gate.auc.gainOverBaseline");
        gain.Status.ShouldBe(CheckStatus.Failed);
        gain.Message.ShouldContain("short by");
        Directory.Exists(fixture.Run.CandidateDir).ShouldBeFalse("a rejected model must leave no release candidate");
    }

    [Fact]
    public void Run_Rerun_GivesIdenticalMetrics()
    {
        using var first = ModelingRun.Create(editSpec: FastSpec.Apply);
        using var second = ModelingRun.Create(editSpec: FastSpec.Apply);

        var (_, a) = TrainAndValidate(first);
        var (_, b) = TrainAndValidate(second);

        b.Metrics.ShouldBe(a.Metrics);
        File.ReadAllText(second.StagePath(StageName.HoldoutValidate, HoldoutScores.FileName))
            .ShouldBe(File.ReadAllText(first.StagePath(StageName.HoldoutValidate, HoldoutScores.FileName)), "same seed, same scores for every row");
    }

    [Fact]
    public void Run_UnreachableSliceGate_RejectedNamingTheSlice()
    {
        using var fixture = ModelingRun.Create(editSpec: FastSpec.With("""
            slices:
              minimumRows: 30
              minimum: { recall: 0.99 }
              by:
                - column: marital
            """));

        var (_, report) = TrainAndValidate(fixture);

        report.Outcome.ShouldBe(StageOutcome.Rejected);
        var failed = report.Checks.Where(c => c.IsBlocking).ToList();
        failed.ShouldNotBeEmpty();
        failed.ShouldAllBe(c => c.Id == "slice.marital.recall.minimum");
        failed.ShouldContain(c => c.Message.Contains("slice marital = married"));
        Directory.Exists(fixture.Run.CandidateDir).ShouldBeFalse();
    }

    [Fact]
    public void Run_ReachableSliceGates_ReportGroupsAndPass()
    {
        using var fixture = ModelingRun.Create(editSpec: FastSpec.With("""
            slices:
              minimum: { auc: 0.5 }
              maximumDisparity: { positiveRate: 0.9 }
              by:
                - column: marital
                - column: age
                  bands: [30, 60]
            """));

        var (_, report) = TrainAndValidate(fixture);

        report.Outcome.ShouldBe(StageOutcome.Passed, report.Summary);
        report.Checks.ShouldContain(c => c.Id == "slice.age.positiveRate.disparity" && c.Status == CheckStatus.Passed);
        var ageGroups = report.Details!["slices"]![1]!["groups"]!.AsArray().Select(g => g!["value"]!.GetValue<string>()).ToList();
        ageGroups.ShouldBe(["30–60", "<30", "≥60"], ignoreOrder: true);
    }

    private static (StageReport Train, StageReport Holdout) TrainAndValidate(ModelingRun fixture)
    {
        var train = TrainStage.Run(fixture.Context);
        train.Outcome.ShouldBe(StageOutcome.Passed, train.Summary);
        fixture.Run.WriteReport(train);
        var report = HoldoutValidateStage.Run(fixture.Context);
        fixture.Run.WriteReport(report);
        return (train, report);
    }
}
