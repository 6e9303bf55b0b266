using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Tollgate.Modeling.Data;
using Tollgate.Modeling.Training;

namespace Tollgate.Modeling.Scoring;

/// <summary>
/// Feature contributions for tree ensembles via ML.NET's FeatureContributionCalculation, mapped back from feature-vector
/// slots (a categorical feature has one slot per one-hot category) to the features of model.yaml.
/// </summary>
internal sealed class ContributionExplainer
{
    private const string ContributionsColumn = "FeatureContributions";
    private readonly TrainedModel model;
    private readonly ITransformer featurizer;
    private readonly ITransformer calculator;
    private readonly IReadOnlyList<(string Feature, int Start, int Length)> slots;

    public ContributionExplainer(TrainedModel model)
    {
        this.model = model;
        var chain = model.Transformer as TransformerChain<ITransformer>
            ?? throw new InvalidOperationException("expected a transformer chain ending in a predictor");
        var parts = chain.ToList();
        featurizer = new TransformerChain<ITransformer>([.. parts.Take(parts.Count - 1)]);
        var predictor = parts[^1];
        var ml = new MLContext();
        var sample = new FeatureDataView(EmptyRow(model.Features), model.Task, includeLabel: false);
        var featurized = featurizer.Transform(sample);
        var slotCount = ((VectorDataViewType)featurized.Schema[ModelTrainer.FeaturesColumn].Type).Size;
        calculator = Calculator(ml, predictor, slotCount).Fit(featurized);
        var list = new List<(string, int, int)>();
        var start = 0;
        foreach (var f in model.Features.Numeric)
        {
            list.Add((f, start++, 1));
        }

        foreach (var f in model.Features.Categorical)
        {
            var size = ((VectorDataViewType)featurized.Schema[f + ModelTrainer.OneHotSuffix].Type).Size;
            list.Add((f, start, size));
            start += size;
        }

        slots = list;
    }

    /// <summary>Raw score, score and per-feature contributions for the single row of <paramref name="row"/>.</summary>
    public (double Raw, double Score, IReadOnlyDictionary<string, double> Contributions) Explain(FeatureTable row)
    {
        var output = calculator.Transform(featurizer.Transform(new FeatureDataView(row, model.Task, includeLabel: false)));
        var contribColumn = output.Schema[ContributionsColumn];
        using var cursor = output.GetRowCursor([contribColumn]);
        var contribGetter = cursor.GetGetter<VBuffer<float>>(contribColumn);
        cursor.MoveNext();
        VBuffer<float> buffer = default;
        contribGetter(ref buffer);
        var dense = buffer.DenseValues().ToArray();
        var result = slots.ToDictionary(s => s.Feature, s => (double)dense.Skip(s.Start).Take(s.Length).Sum(), StringComparer.Ordinal);
        var scored = model.Score(row);
        var (raw, score) = (scored.RawScores[0], scored.Scores[0]);
        return (raw, score, result);
    }

    private static IEstimator<ITransformer> Calculator(MLContext ml, ITransformer predictor, int slotCount)
    {
        // A calibrated binary model's contributions come from its uncalibrated tree ensemble (the margin).
        switch (predictor)
        {
            case ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> lightGbm:
                return ml.Transforms.CalculateFeatureContribution(lightGbm, slotCount, slotCount, normalize: false);
            case ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> fastTree:
                return ml.Transforms.CalculateFeatureContribution(fastTree, slotCount, slotCount, normalize: false);
            case ISingleFeaturePredictionTransformer<ICalculateFeatureContribution> plain:
                return ml.Transforms.CalculateFeatureContribution(plain, slotCount, slotCount, normalize: false);
        }

        throw new InvalidOperationException($"feature contributions are not available for {predictor.GetType()}");
    }

    private static FeatureTable EmptyRow(FeatureSchema schema) =>
        new(schema, [.. schema.Numeric.Select(_ => new[] { 0f })], [.. schema.Categorical.Select(_ => new[] { string.Empty })], null);
}
