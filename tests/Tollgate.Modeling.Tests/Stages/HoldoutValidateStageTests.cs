using Shouldly;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Stages;
using Tollgate.Modeling.Tests.Fixtures;

namespace Tollgate.Modeling.Tests.Stages;

public sealed class HoldoutValidateStageTests
{
    [Fact]
    public void Run_BankExample_PassesAndWritesCandidate()
    {
        using var fixture = ModelingRun.Create();

        var train = TrainStage.Run(fixture.Context);
        fixture.Run.WriteReport(train);
        var report = HoldoutValidateStage.Run(fixture.Context);

        train.Outcome.ShouldBe(StageOutcome.Passed, train.Summary);
        report.Outcome.ShouldBe(StageOutcome.Passed, report.Summary + "\n" + string.Join("\n", report.Checks.Select(c => c.Message)));
        report.Metrics["auc"].ShouldBeGreaterThan(0.65);
        File.Exists(Path.Combine(fixture.Run.CandidateDir, CandidateModel.ModelFileName)).ShouldBeTrue();
        using var candidate = CandidateModel.Load(fixture.Run.CandidateDir);
        candidate.Metadata.HoldoutMetrics["auc"].ShouldBe(report.Metrics["auc"]);
        candidate.Metadata.Threshold.ShouldBe(0.5);
        candidate.Metadata.TrainingRows.ShouldBe((int)(train.Metrics["trainRows"] + train.Metrics["holdoutRows"]));
        Console.WriteLine(string.Join("\n", fixture.Log.Lines));
        Console.WriteLine(report.Summary);
    }
}
