using Tollgate.Core.Specs;
using Tollgate.Modeling.Data;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Training;

namespace Tollgate.Modeling.Comparison;

/// <summary>
/// Drop-column importance: retrain without each feature (same spec and seed) and measure the holdout quality lost.
/// Slower than permutation (one training per feature) but it sees what the model can recover from other features.
/// </summary>
public static class DropColumnImportance
{
    public static IReadOnlyList<FeatureImportance> Compute(ModelSpec spec, FeatureTable train, FeatureTable holdout, Core.Stages.IStageLog log)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(holdout);
        ArgumentNullException.ThrowIfNull(log);
        var full = Quality(spec, train, holdout);
        var drops = new Dictionary<string, double>(StringComparer.Ordinal);
        var features = train.Schema.All.ToList();
        for (var i = 0; i < features.Count; i++)
        {
            log.Progress("drop-column importance", i / (double)features.Count);
            var schema = new FeatureSchema([.. train.Schema.Numeric.Where(f => f != features[i])], [.. train.Schema.Categorical.Where(f => f != features[i])]);
            var reduced = spec with { NumericFeatures = schema.Numeric, CategoricalFeatures = schema.Categorical };
            drops[features[i]] = full - Quality(reduced, Project(train, schema), Project(holdout, schema));
        }

        log.Progress("drop-column importance", 1);
        return FeatureImportance.FromDrops(drops);
    }

    private static double Quality(ModelSpec spec, FeatureTable train, FeatureTable holdout)
    {
        using var model = new TrainedModel(ModelTrainer.Fit(spec, train), train.Schema, spec.Task);
        return PermutationImportance.Quality(spec.Task, holdout.Labels!, model.Score(holdout).Scores);
    }

    private static FeatureTable Project(FeatureTable table, FeatureSchema schema) =>
        new(
            schema,
            [.. schema.Numeric.Select(f => table.Numeric[table.Schema.Numeric.ToList().IndexOf(f)])],
            [.. schema.Categorical.Select(f => table.Categorical[table.Schema.Categorical.ToList().IndexOf(f)])],
            table.Labels);
}
