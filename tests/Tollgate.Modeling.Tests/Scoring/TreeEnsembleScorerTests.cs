using Microsoft.ML;
using Shouldly;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Data;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Stages;
using Tollgate.Modeling.Tests.Fixtures;
using static Tollgate.Modeling.Tests.Fixtures.ScoringRows;
using Tollgate.Modeling.Training;

namespace Tollgate.Modeling.Tests.Scoring;

/// <summary>
/// The compiled trees the server scores with (<see cref="TreeEnsembleScorer"/>) against ML.NET's table path — the one
/// training and holdout-validate use — on every row of the real data, for each kind of tree model Tollgate trains:
/// not one bit may differ, or it is training–serving skew.
/// </summary>
public sealed class TreeEnsembleScorerTests(CandidateFixture fixture) : IClassFixture<CandidateFixture>
{
    [Fact]
    public void ScoreRows_LightGbmBank_CompiledAndBitIdenticalToMlNetOnEveryRow()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);

        model.Model.RowScoring.ShouldStartWith("compiled trees", customMessage: model.Model.RowScoring);
        AssertSameBitsOnEveryRow(model, fixture.Run);
    }

    [Fact]
    public void ScoreRows_FastTreeBank_CompiledAndBitIdenticalToMlNetOnEveryRow()
    {
        using var run = ModelingRun.Create(editSpec: yaml => FastSpec.Apply(yaml)
            .Replace("name: lightgbm", "name: fasttree", StringComparison.Ordinal)
            .Replace("numberOfIterations:", "numberOfTrees:", StringComparison.Ordinal));
        TrainAndValidate(run);
        using var model = CandidateModel.Load(run.Run.CandidateDir);

        model.Metadata.Trainer.ShouldBe("fasttree");
        model.Model.RowScoring.ShouldStartWith("compiled trees", customMessage: model.Model.RowScoring);
        AssertSameBitsOnEveryRow(model, run);
    }

    [Fact]
    public void ScoreRows_LightGbmRegressionSeattle_CompiledAndBitIdenticalToMlNetOnEveryRow()
    {
        using var run = ModelingRun.Create("seattle-weather");
        TrainAndValidate(run);
        using var model = CandidateModel.Load(run.Run.CandidateDir);

        model.Model.Task.ShouldBe(TaskKind.Regression);
        model.Model.RowScoring.ShouldStartWith("compiled trees", customMessage: model.Model.RowScoring);
        AssertSameBitsOnEveryRow(model, run);
    }

    [Fact]
    public void ScoreRows_MissingNumericOrUnknownCategory_SameBitsAsMlNet()
    {
        // A missing number is scored by ML.NET (its per-node missing-value routing is not public); an unknown or empty
        // category by the compiled trees (an all-zero one-hot block). Both must match the table path.
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);
        model.Model.RowScoring.ShouldStartWith("compiled trees");
        var table = ScoringRows.Of(fixture.Run, 200);
        var rows = ToRows(table);
        var edited = rows.Select((row, i) => new FeatureRow(
            row.Numeric.ToDictionary(p => p.Key, p => i % 3 == 0 && p.Key == "balance" ? float.NaN : p.Value),
            row.Categorical.ToDictionary(p => p.Key, p => i % 3 == 1 && p.Key == "job" ? "astronaut" : i % 3 == 2 && p.Key == "month" ? string.Empty : p.Value))).ToList();

        var viaRows = model.Model.ScoreRows(edited);
        var viaTable = model.Model.Score(FeatureTable.FromRows(model.Features, edited));

        Bits(viaRows.Scores).ShouldBe(Bits(viaTable.Scores));
        Bits(viaRows.RawScores).ShouldBe(Bits(viaTable.RawScores));
        viaRows.Scores.ShouldAllBe(s => double.IsFinite(s));
    }

    [Fact]
    public void ScoreRows_ModelThatIsNotATreeEnsemble_ScoresThroughMlNetAndSaysWhy()
    {
        using var candidate = CandidateModel.Load(fixture.Run.Run.CandidateDir);
        var table = ScoringRows.Of(fixture.Run, 2000);
        var ml = new MLContext(seed: 1);
        var categorical = candidate.Features.Categorical;
        var pipeline = ml.Transforms.Categorical.OneHotEncoding([.. categorical.Select(c => new InputOutputColumnPair(c + ModelTrainer.OneHotSuffix, c))])
            .Append(ml.Transforms.Concatenate(ModelTrainer.FeaturesColumn, [.. candidate.Features.Numeric, .. categorical.Select(c => c + ModelTrainer.OneHotSuffix)]))
            .Append(ml.Transforms.NormalizeMinMax(ModelTrainer.FeaturesColumn))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(FeatureDataView.LabelColumn, ModelTrainer.FeaturesColumn));
        var transformer = pipeline.Fit(new FeatureDataView(table, TaskKind.BinaryClassification, includeLabel: true));
        using var linear = new TrainedModel(transformer, candidate.Features, TaskKind.BinaryClassification);

        linear.RowScoring.ShouldStartWith("ML.NET row mapper (");
        Bits(linear.ScoreRows(ToRows(table)).Scores).ShouldBe(Bits(linear.Score(table).Scores));
    }

    /// <summary>Train and Holdout-Validate: the candidate folder exists once the model passed its gates.</summary>
    private static void TrainAndValidate(ModelingRun run)
    {
        var train = TrainStage.Run(run.Context);
        run.Run.WriteReport(train);
        train.Outcome.ShouldBe(StageOutcome.Passed, train.Summary);
        var holdout = HoldoutValidateStage.Run(run.Context);
        run.Run.WriteReport(holdout);
        holdout.Outcome.ShouldBe(StageOutcome.Passed, holdout.Summary);
    }

    private static void AssertSameBitsOnEveryRow(CandidateModel model, ModelingRun run)
    {
        var table = ScoringRows.Of(run);
        var viaTable = model.Model.Score(table);
        var viaRows = model.Model.ScoreRows(ToRows(table));

        table.Count.ShouldBeGreaterThan(1000);
        Bits(viaRows.Scores).ShouldBe(Bits(viaTable.Scores));
        Bits(viaRows.RawScores).ShouldBe(Bits(viaTable.RawScores));
        viaTable.Scores.Distinct().Count().ShouldBeGreaterThan(100, "real rows must exercise many tree paths, not one constant score");
    }
}
