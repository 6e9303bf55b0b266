using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using Tollgate.Core.Specs;
using Tollgate.Modeling.Data;

namespace Tollgate.Modeling.Training;

/// <summary>
/// Builds and fits the model pipeline — one-hot categoricals, one feature vector, the tree trainer of model.yaml — on a
/// <see cref="FeatureTable"/>. Everything random comes from the spec's seed, and trainers run single-threaded and
/// deterministic, so the same data and spec give the same model, bit for bit.
/// </summary>
public static class ModelTrainer
{
    /// <summary>Name of the assembled feature vector column.</summary>
    public const string FeaturesColumn = "__features";

    /// <summary>Suffix of a categorical feature's one-hot column.</summary>
    public const string OneHotSuffix = "__onehot";

    /// <summary>Fits the pipeline of <paramref name="spec"/> on <paramref name="data"/> (which must carry labels).</summary>
    public static ITransformer Fit(ModelSpec spec, FeatureTable data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        var ml = new MLContext(seed: spec.Seed);
        var view = new FeatureDataView(data, spec.Task);
        return BuildPipeline(ml, spec, data.Schema.Numeric, data.Schema.Categorical).Fit(view);
    }

    /// <summary>Saves a fitted model with the feature-only input schema, so scoring needs no label column.</summary>
    public static void Save(ITransformer model, FeatureTable schemaSource, TaskKind task, string path)
    {
        ArgumentNullException.ThrowIfNull(schemaSource);
        var ml = new MLContext();
        var tmp = path + ".tmp";
        ml.Model.Save(model, new FeatureDataView(schemaSource, task, includeLabel: false).Schema, tmp);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The effective trainer settings recorded in candidate.json: the spec's hyperparameters plus determinism settings.</summary>
    public static IReadOnlyDictionary<string, double> EffectiveHyperparameters(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var h = new SortedDictionary<string, double>(spec.Trainer.Hyperparameters.ToDictionary(), StringComparer.Ordinal)
        {
            ["numberOfThreads"] = 1,
        };
        return h;
    }

    private static IEstimator<ITransformer> BuildPipeline(MLContext ml, ModelSpec spec, IReadOnlyList<string> numeric, IReadOnlyList<string> categorical)
    {
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        if (categorical.Count > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding(
                [.. categorical.Select(c => new InputOutputColumnPair(c + OneHotSuffix, c))],
                OneHotEncodingEstimator.OutputKind.Indicator));
        }

        pipeline = pipeline.Append(ml.Transforms.Concatenate(FeaturesColumn, [.. numeric, .. categorical.Select(c => c + OneHotSuffix)]));
        return pipeline.Append(Trainer(ml, spec));
    }

    private static IEstimator<ITransformer> Trainer(MLContext ml, ModelSpec spec)
    {
        var h = spec.Trainer.Hyperparameters;
        int? Int(string key) => h.TryGetValue(key, out var v) ? (int)v : null;
        double? Num(string key) => h.TryGetValue(key, out var v) ? v : null;
        var regression = spec.Task == TaskKind.Regression;
        switch (spec.Trainer.Name)
        {
            case "lightgbm":
                var booster = new GradientBooster.Options();
                if (Num("l2Regularization") is { } l2)
                {
                    booster.L2Regularization = l2;
                }

                if (Num("featureFraction") is { } ff)
                {
                    booster.FeatureFraction = ff;
                }

                if (Num("baggingFraction") is { } bf)
                {
                    booster.SubsampleFraction = bf;
                    booster.SubsampleFrequency = 1;
                }

                if (regression)
                {
                    var o = new LightGbmRegressionTrainer.Options { Booster = booster };
                    Configure(o, spec, Int, Num);
                    return ml.Regression.Trainers.LightGbm(o);
                }
                else
                {
                    var o = new LightGbmBinaryTrainer.Options { Booster = booster };
                    Configure(o, spec, Int, Num);
                    return ml.BinaryClassification.Trainers.LightGbm(o);
                }

            case "fasttree":
                if (regression)
                {
                    var o = new FastTreeRegressionTrainer.Options();
                    Configure(o, spec, Int, Num);
                    return ml.Regression.Trainers.FastTree(o);
                }
                else
                {
                    var o = new FastTreeBinaryTrainer.Options();
                    Configure(o, spec, Int, Num);
                    return ml.BinaryClassification.Trainers.FastTree(o);
                }

            default:
                throw new Core.Errors.ConfigurationException($"{spec.SpecPath}: 'trainer.name': unknown trainer '{spec.Trainer.Name}'; use lightgbm or fasttree.");
        }
    }

    private static void Configure(LightGbmBinaryTrainer.Options o, ModelSpec spec, Func<string, int?> i, Func<string, double?> d)
    {
        o.LabelColumnName = FeatureDataView.LabelColumn;
        o.FeatureColumnName = FeaturesColumn;
        o.NumberOfLeaves = i("numberOfLeaves") ?? o.NumberOfLeaves;
        o.NumberOfIterations = i("numberOfIterations") ?? o.NumberOfIterations;
        o.LearningRate = d("learningRate") ?? o.LearningRate;
        o.MinimumExampleCountPerLeaf = i("minimumExampleCountPerLeaf") ?? o.MinimumExampleCountPerLeaf;
        o.Seed = spec.Seed;
        o.Deterministic = true;
        o.NumberOfThreads = 1;
        o.Silent = true;
        o.Verbose = false;
    }

    private static void Configure(LightGbmRegressionTrainer.Options o, ModelSpec spec, Func<string, int?> i, Func<string, double?> d)
    {
        o.LabelColumnName = FeatureDataView.LabelColumn;
        o.FeatureColumnName = FeaturesColumn;
        o.NumberOfLeaves = i("numberOfLeaves") ?? o.NumberOfLeaves;
        o.NumberOfIterations = i("numberOfIterations") ?? o.NumberOfIterations;
        o.LearningRate = d("learningRate") ?? o.LearningRate;
        o.MinimumExampleCountPerLeaf = i("minimumExampleCountPerLeaf") ?? o.MinimumExampleCountPerLeaf;
        o.Seed = spec.Seed;
        o.Deterministic = true;
        o.NumberOfThreads = 1;
        o.Silent = true;
        o.Verbose = false;
    }

    // Both FastTree trainers take their tree settings from BoostedTreeOptions: one method serves both tasks.
    private static void Configure(BoostedTreeOptions o, ModelSpec spec, Func<string, int?> i, Func<string, double?> d)
    {
        o.LabelColumnName = FeatureDataView.LabelColumn;
        o.FeatureColumnName = FeaturesColumn;
        o.NumberOfLeaves = i("numberOfLeaves") ?? o.NumberOfLeaves;
        o.NumberOfTrees = i("numberOfTrees") ?? o.NumberOfTrees;
        o.LearningRate = d("learningRate") ?? o.LearningRate;
        o.MinimumExampleCountPerLeaf = i("minimumExampleCountPerLeaf") ?? o.MinimumExampleCountPerLeaf;
        o.Seed = spec.Seed;
        o.NumberOfThreads = 1;
    }
}
