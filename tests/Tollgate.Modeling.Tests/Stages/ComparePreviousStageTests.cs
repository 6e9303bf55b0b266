using Shouldly;
using Tollgate.Core.IO;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Comparison;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Stages;
using Tollgate.Modeling.Tests.Fixtures;

namespace Tollgate.Modeling.Tests.Stages;

public sealed class ComparePreviousStageTests(CandidateFixture fixture) : IClassFixture<CandidateFixture>
{
    private const string Gates = """
        compare:
          maximumDrop: { auc: 0.03 }
          maximumFlipRate: 0.25
          largeChange: 0.3
          maximumLargeChangeShare: 0.2
          topChanges: 10
        importance:
          permutations: 1
          maximumShareJump: 0.3
        """;

    [Fact]
    public void Run_NothingInProduction_SkippedSayingFirstRelease()
    {
        var store = new ReleaseStore(Path.Combine(fixture.Run.TempPath, "empty-store"));

        var report = ComparePreviousStage.Run(fixture.Run.ContextWith(FastSpec.With(Gates)), store);

        report.Outcome.ShouldBe(StageOutcome.Skipped);
        report.Summary.ShouldContain("first release");
        report.Summary.ShouldContain("nothing to compare");
    }

    [Fact]
    public void Run_ProductionIsThisCandidate_NoFlipsAndWritesDiff()
    {
        var store = StoreWithProduction("same", fixture.Run.Run.CandidateDir);

        var report = ComparePreviousStage.Run(fixture.Run.ContextWith(FastSpec.With(Gates)), store);

        report.Metrics["flipRate"].ShouldBe(0, "the same model on the same rows makes the same decisions");
        report.Metrics["largeChangeShare"].ShouldBe(0);
        var diff = File.ReadAllLines(fixture.Run.StagePath(StageName.ComparePrevious, PredictionDiff.FileName));
        diff.Length.ShouldBe(966, "header plus every holdout row");
        diff[0].ShouldBe("key,timestamp,label,production,candidate,delta,flip");
        report.Details!["topChanges"]!.AsArray().Count.ShouldBe(10);
        report.Details!["importance"]!["candidate"]!.AsArray().Count.ShouldBe(14);
        File.Exists(fixture.Run.StagePath(StageName.ComparePrevious, "report.html")).ShouldBeTrue();
    }

    [Fact]
    public void Run_ProductionReleasedBeforeTheHoldout_ComparesMetricsOnUnseenRows()
    {
        var store = StoreWithPreHoldoutProduction("unseen");

        var report = ComparePreviousStage.Run(fixture.Run.ContextWith(FastSpec.With(Gates)), store);

        report.Metrics["delta.auc"].ShouldBe(0, "production is the very model validated on the holdout");
        report.Checks.Single(c => c.Id == "compare.rows").Message.ShouldContain("neither model trained on them");
        report.Checks.Single(c => c.Id == "compare.auc.drop").Severity.ShouldBe(Severity.Error);
    }

    [Fact]
    public void Run_ProductionTrainedOnTheHoldout_MetricDropOnlyWarns()
    {
        var store = StoreWithProduction("seen", fixture.Run.Run.CandidateDir);

        var report = ComparePreviousStage.Run(fixture.Run.ContextWith(FastSpec.With(Gates)), store);

        var drop = report.Checks.Single(c => c.Id == "compare.auc.drop");
        drop.Severity.ShouldBe(Severity.Warning, "production trained on the holdout, so its AUC there is optimistic");
        report.Checks.Single(c => c.Id == "compare.rows").Message.ShouldContain("only 0 holdout rows are new to it");
    }

    [Fact]
    public void Run_CandidateFlippingManyDecisions_RejectedByFlipRateGate()
    {
        var store = StoreWithPreHoldoutProduction("flip");
        var metaPath = Path.Combine(fixture.Run.Run.CandidateDir, CandidateMetadata.FileName);
        var original = TollgateJson.ReadFile<CandidateMetadata>(metaPath);
        try
        {
            // A candidate that calls almost everyone positive: most of production's negative decisions flip.
            TollgateJson.WriteFile(metaPath, original with { Threshold = 0.05 });

            var report = ComparePreviousStage.Run(fixture.Run.ContextWith(FastSpec.With(Gates)), store);

            report.Outcome.ShouldBe(StageOutcome.Rejected);
            var flip = report.Checks.Single(c => c.Id == "compare.flipRate");
            flip.Status.ShouldBe(CheckStatus.Failed);
            flip.Message.ShouldContain("negative→positive");
            report.Metrics["flips.negativeToPositive"].ShouldBeGreaterThan(report.Metrics["flips.positiveToNegative"]);
        }
        finally
        {
            TollgateJson.WriteFile(metaPath, original);
        }
    }

    [Fact]
    public void Run_CandidateTrainedWithDuration_FlaggedByImportanceJump()
    {
        using var leaky = ModelingRun.Create(editSpec: y => FastSpec.With(Gates)(y)
            .Replace("numeric: [age, balance, campaign, pdays, previous]", "numeric: [age, balance, campaign, pdays, previous, duration]", StringComparison.Ordinal)
            .Replace("  duration: \"Known only after the call ends: it leaks the label.\"\n", string.Empty, StringComparison.Ordinal));
        var train = TrainStage.Run(leaky.Context);
        leaky.Run.WriteReport(train);
        var holdout = HoldoutValidateStage.Run(leaky.Context);
        leaky.Run.WriteReport(holdout);
        holdout.Outcome.ShouldBe(StageOutcome.Passed, holdout.Summary);
        var store = StoreWithPreHoldoutProduction("leak");

        var report = ComparePreviousStage.Run(leaky.Context, store);

        report.Outcome.ShouldBe(StageOutcome.Rejected);
        var leak = report.Checks.Single(c => c.Id == "importance.duration.shareJump");
        leak.Status.ShouldBe(CheckStatus.Failed);
        leak.Message.ShouldContain("absent in production");
        leak.Message.ShouldContain("possible leak");
    }

    /// <summary>Production = the fixture's model trained before the holdout, as if released before that period began.</summary>
    private ReleaseStore StoreWithPreHoldoutProduction(string name)
    {
        var store = StoreWithProduction(name, fixture.Run.Run.CandidateDir);
        var dir = store.TryGetProduction(fixture.Run.Spec.Name)!.ModelDir;
        File.Copy(fixture.Run.StagePath(StageName.Train, TrainStage.ModelFileName), Path.Combine(dir, CandidateModel.ModelFileName), overwrite: true);
        var metaPath = Path.Combine(dir, CandidateMetadata.FileName);
        var split = TollgateJson.ReadFile<Training.SplitInfo>(fixture.Run.StagePath(StageName.Train, Training.SplitInfo.FileName));
        var meta = TollgateJson.ReadFile<CandidateMetadata>(metaPath);
        TollgateJson.WriteFile(metaPath, meta with { Threshold = 0.5, DataPeriodEnd = Training.TimeSplit.Format(split.TrainEnd) });
        return store;
    }

    private ReleaseStore StoreWithProduction(string name, string candidateDir)
    {
        var store = new ReleaseStore(Path.Combine(fixture.Run.TempPath, "store-" + name));
        var copy = Path.Combine(store.Root, "models", "v1");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(candidateDir))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        store.SetProduction(new ReleasedModel(fixture.Run.Spec.Name, "v1", "earlier-run", copy));
        return store;
    }
}
