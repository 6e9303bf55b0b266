using Tollgate.Core.Specs;
using Tollgate.Modeling.Data;
using Tollgate.Modeling.Evaluation;
using Tollgate.Modeling.Scoring;

namespace Tollgate.Modeling.Comparison;

/// <summary>
/// Permutation feature importance at the level of model.yaml's features: each feature's column is shuffled (seeded) in
/// the <see cref="FeatureTable"/> and the model re-scored through the usual scoring path; the importance is the quality
/// lost. This is ML.NET's PFI algorithm applied per feature rather than per feature-vector slot, because permuting
/// the one-hot slots of a categorical one at a time would create rows with several or no categories set.
/// </summary>
public static class PermutationImportance
{
    public static IReadOnlyList<FeatureImportance> Compute(TrainedModel model, FeatureTable table, int permutations, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(table);
        var labels = table.Labels ?? throw new ArgumentException("permutation importance needs labels", nameof(table));
        var baseline = Quality(model.Task, labels, model.Score(table).Scores);
        var drops = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var feature in model.Features.All)
        {
            var random = new Random(HashCode.Combine(seed, StableHash(feature)));
            double sum = 0;
            for (var p = 0; p < permutations; p++)
            {
                var permutation = Enumerable.Range(0, table.Count).ToArray();
                random.Shuffle(permutation);
                var permuted = model.Score(table.WithPermutedFeature(feature, permutation)).Scores;
                sum += baseline - Quality(model.Task, labels, permuted);
            }

            drops[feature] = sum / permutations;
        }

        return FeatureImportance.FromDrops(drops);
    }

    /// <summary>Higher is better: AUC for binary, −RMSE for regression.</summary>
    public static double Quality(TaskKind task, IReadOnlyList<float> labels, IReadOnlyList<double> scores) =>
        task == TaskKind.Regression
            ? -MetricCalculator.Regression(labels, scores)["rmse"]
            : ThresholdCurve.Build(labels, scores).Auc();

    // string.GetHashCode is randomised per process; importances must not change between runs.
    private static int StableHash(string s)
    {
        unchecked
        {
            var h = 17;
            foreach (var c in s)
            {
                h = (h * 31) + c;
            }

            return h;
        }
    }
}
