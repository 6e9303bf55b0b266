using Shouldly;
using Tollgate.Core.Specs;
using Tollgate.Modeling.Evaluation;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Tests.Fixtures;

namespace Tollgate.Modeling.Tests.Scoring;

public sealed class CandidateModelTests(CandidateFixture fixture) : IClassFixture<CandidateFixture>
{
    private static FeatureRow Row(int age = 35, string job = "management", string poutcome = "success") => new(
        new Dictionary<string, float> { ["age"] = age, ["balance"] = 1200, ["campaign"] = 1, ["pdays"] = 90, ["previous"] = 2 },
        new Dictionary<string, string>
        {
            ["job"] = job, ["marital"] = "single", ["education"] = "tertiary", ["default"] = "no", ["housing"] = "no",
            ["loan"] = "no", ["contact"] = "cellular", ["month"] = "oct", ["poutcome"] = poutcome,
        });

    [Fact]
    public void Load_Candidate_ExposesFeatureSchemaAndMetadata()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);

        model.Features.Numeric.ShouldBe(["age", "balance", "campaign", "pdays", "previous"]);
        model.Features.Categorical.ShouldContain("poutcome");
        model.Task.ShouldBe(TaskKind.BinaryClassification);
        model.Metadata.PositiveClass.ShouldBe("yes");
    }

    [Fact]
    public void Load_Candidate_RecordsTheCommitOfItsRun()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);

        model.Metadata.Commit.ShouldNotBeNull();
        model.Metadata.Commit.ShouldBe(fixture.Run.Run.Manifest.GitCommit);
    }

    [Fact]
    public void Score_Batch_GivesProbabilitiesAndLabelsAtThreshold()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);

        var predictions = model.Score([Row(poutcome: "success"), Row(poutcome: "failure", job: "blue-collar"), Row(job: "a job never seen")]);

        predictions.Count.ShouldBe(3);
        predictions.ShouldAllBe(p => p.Score >= 0 && p.Score <= 1 && p.Threshold == 0.5);
        predictions.ShouldAllBe(p => p.IsPositive == (p.Score >= 0.5));
        predictions[0].Score.ShouldBeGreaterThan(predictions[1].Score, "a previous campaign's success is the strongest signal in this data");
    }

    [Fact]
    public void Score_FromManyThreads_MatchesSequentialScores()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);
        var rows = Enumerable.Range(18, 60).Select(a => Row(age: a)).ToList();
        var expected = model.Score(rows).Select(p => p.Score).ToList();

        var parallel = new double[8][];
        Parallel.For(0, 8, i => parallel[i] = [.. model.Score(rows).Select(p => p.Score)]);

        parallel.ShouldAllBe(p => p.SequenceEqual(expected));
    }

    [Fact]
    public void Score_SameRowsAsHoldout_MatchesTheTableScoringPath()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);
        var row = Row();
        var viaRows = model.Score([row])[0].Score;
        var viaTable = model.Model.Score(Data.FeatureTable.FromRows(model.Features, [row])).Scores[0];

        viaRows.ShouldBe(viaTable);
    }

    [Fact]
    public void Explain_Row_ContributionsAddUpToTheRawScore()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);

        var explanation = model.Explain(Row());

        explanation.Contributions.Select(c => c.Feature).Order().ShouldBe(model.Features.All.Order());
        (explanation.BaseValue + explanation.Contributions.Sum(c => c.Contribution)).ShouldBe(explanation.Prediction.RawScore, 1e-6);
        explanation.Contributions.ShouldContain(c => c.Contribution != 0);
        explanation.Prediction.Score.ShouldBe(model.Score([Row()])[0].Score);
        explanation.Contributions.Single(c => c.Feature == "poutcome").Value.ShouldBe("success");
    }

    [Fact]
    public void Score_MissingFeature_ThrowsNamingIt()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);
        var row = new FeatureRow(new Dictionary<string, float> { ["age"] = 30 }, new Dictionary<string, string>());

        var ex = Should.Throw<ArgumentException>(() => model.Score([row]));

        ex.Message.ShouldContain("numeric feature 'balance' is missing");
    }

    [Fact]
    public void HoldoutScores_Saved_RecomputeTheReportedMetrics()
    {
        var scores = HoldoutScores.Read(fixture.Run.StagePath(Core.Stages.StageName.HoldoutValidate, HoldoutScores.FileName));

        var metrics = MetricCalculator.Binary(scores.Labels, scores.Scores, 0.5);

        metrics["auc"].ShouldBe(fixture.HoldoutReport.Metrics["auc"], 1e-12);
        metrics["logLoss"].ShouldBe(fixture.HoldoutReport.Metrics["logLoss"], 1e-12);
    }
}
