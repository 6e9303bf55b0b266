using System.Collections.Frozen;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Tollgate.Core.Specs;
using Tollgate.Modeling.Data;
using Tollgate.Modeling.Training;

namespace Tollgate.Modeling.Scoring;

/// <summary>
/// Scores one row of a tree-ensemble model (LightGBM or FastTree behind Tollgate's one-hot + concatenate featurizer)
/// straight from the fitted trees: the row's feature vector is built dense on the stack and every tree is walked by
/// array index. ML.NET's row mapper gets the same answer through a cursor, getters and a sparse vector whose every
/// split is a binary search — on the server that was the largest managed cost of a request (~15% of its CPU).
/// <para>
/// Built only for a model of exactly that shape, and only if its answers are bit-identical to ML.NET's on probe rows
/// that sit on, just below and just above every split threshold of every tree and that take every category the model
/// knows (plus an empty and an unseen one), alone and mixed (<see cref="TryCreate"/>); otherwise the model scores
/// through ML.NET and the reason is kept (<see cref="TrainedModel.RowScoring"/>). A row with a missing numeric value
/// (NaN) is always left to ML.NET: how a tree routes a missing value is per node and not public in ML.NET.
/// Immutable and safe to share between threads.
/// </para>
/// </summary>
internal sealed class TreeEnsembleScorer
{
    /// <summary>Feature vectors up to this many slots live on the stack; wider models take a pooled array.</summary>
    private const int StackSlots = 512;

    /// <summary>Random rows mixing the probe values of every feature, on top of the one-feature-at-a-time probes.</summary>
    private const int MixedProbeRows = 2000;

    /// <summary>ML.NET's annotation kind for slot names.</summary>
    private const string SlotNamesKind = "SlotNames";

    private readonly FeatureSchema features;
    private readonly int slotCount;
    private readonly int[] numericSlots;
    private readonly FrozenDictionary<string, int>[] categorySlots;
    private readonly Node[] nodes;
    private readonly int[][] categoricalSplits;
    private readonly double[] leaves;
    private readonly int[] roots;
    private readonly Platt? platt;
    private readonly FeatureRowReader reader;

    private TreeEnsembleScorer(
        FeatureSchema features, int slotCount, int[] numericSlots, FrozenDictionary<string, int>[] categorySlots,
        Node[] nodes, int[][] categoricalSplits, double[] leaves, int[] roots, Platt? platt)
    {
        this.features = features;
        this.slotCount = slotCount;
        this.numericSlots = numericSlots;
        this.categorySlots = categorySlots;
        this.nodes = nodes;
        this.categoricalSplits = categoricalSplits;
        this.leaves = leaves;
        this.roots = roots;
        this.platt = platt;
        reader = new FeatureRowReader(features);
    }

    public int Trees => roots.Length;

    public int Nodes => nodes.Length;

    /// <summary>How many probe rows the scorer was checked on against ML.NET before it was used.</summary>
    public int ProbeRows { get; private set; }

    /// <summary>
    /// Compiles <paramref name="transformer"/> when it is a tree ensemble behind Tollgate's featurizer and agrees with
    /// ML.NET bit for bit on the probe rows (<paramref name="reference"/> scores them the ML.NET way). Null, with the
    /// reason, otherwise.
    /// </summary>
    public static TreeEnsembleScorer? TryCreate(
        ITransformer transformer, FeatureSchema features, TaskKind task, Func<FeatureRow, (double Score, double Raw)?> reference, out string reason)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(reference);
        if (transformer is not TransformerChain<ITransformer> chain || !chain.Any())
        {
            reason = "the model is not a transformer chain";
            return null;
        }

        var (ensemble, platt) = Predictor(chain.Last(), task);
        if (ensemble is null)
        {
            reason = $"the predictor ({chain.Last().GetType().Name}) is not a LightGBM or FastTree ensemble with a Platt calibrator";
            return null;
        }

        if (ensemble.Bias != 0 || ensemble.TreeWeights.Any(w => w != 1))
        {
            reason = "the ensemble has a bias or weighted trees";
            return null;
        }

        var schema = transformer.GetOutputSchema(FeatureDataView.SchemaOf(features, task, withLabel: false));
        if (!TryLayout(schema, features, out var slotCount, out var numericSlots, out var categorySlots, out reason))
        {
            return null;
        }

        var (nodes, categoricalSplits, leaves, roots) = Flatten(ensemble);
        if (nodes.Any(n => n.Feature >= slotCount) || categoricalSplits.Any(s => s.Any(slot => slot < 0 || slot >= slotCount)))
        {
            reason = "a split reads a slot outside the feature vector";
            return null;
        }

        var scorer = new TreeEnsembleScorer(features, slotCount, numericSlots, categorySlots, nodes, categoricalSplits, leaves, roots, platt);
        return scorer.Verify(reference, out reason) ? scorer : null;
    }

    /// <summary>
    /// Scores <paramref name="row"/>; false (nothing scored) when the row lacks a feature, carries one the model does not
    /// know, or has a missing numeric value — the caller then scores it through ML.NET.
    /// </summary>
    public bool TryScore(FeatureRow row, out double score, out double raw)
    {
        score = raw = double.NaN;
        float[]? rented = null;
        Span<float> vector = slotCount <= StackSlots
            ? stackalloc float[StackSlots]
            : (rented = System.Buffers.ArrayPool<float>.Shared.Rent(slotCount));
        vector = vector[..slotCount];
        try
        {
            vector.Clear();
            if (!TryFill(row, vector))
            {
                return false;
            }

            var output = (float)Sum(vector);
            raw = output;
            score = platt is { } p ? p.Probability(output) : output;
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    private bool TryFill(FeatureRow row, Span<float> vector)
    {
        if (!reader.TryOpen(row, out var values))
        {
            return false;
        }

        for (var i = 0; i < numericSlots.Length; i++)
        {
            if (!values.TryGetNumeric(i, out var value) || float.IsNaN(value))
            {
                return false;
            }

            vector[numericSlots[i]] = value;
        }

        for (var i = 0; i < categorySlots.Length; i++)
        {
            if (!values.TryGetCategorical(i, out var text))
            {
                return false;
            }

            // One-hot: the category's slot is 1; an unknown, empty or null category leaves the whole block at 0.
            if (text is not null && categorySlots[i].TryGetValue(text, out var slot))
            {
                vector[slot] = 1f;
            }
        }

        return true;
    }

    /// <summary>The sum of every tree's leaf, in tree order and in double — as ML.NET adds them.</summary>
    private double Sum(ReadOnlySpan<float> vector)
    {
        double output = 0.0;
        var all = nodes;
        foreach (var root in roots)
        {
            var node = root;
            while (node >= 0)
            {
                ref readonly var n = ref all[node];
                bool greater;
                if (n.Feature >= 0)
                {
                    // Written as ML.NET writes it: "value <= threshold" goes left, everything else right.
                    greater = !(vector[n.Feature] <= n.Threshold);
                }
                else
                {
                    greater = false;
                    foreach (var slot in categoricalSplits[~n.Feature])
                    {
                        if (vector[slot] > 0f)
                        {
                            greater = true;
                            break;
                        }
                    }
                }

                node = greater ? n.Right : n.Left;
            }

            output += leaves[~node];
        }

        return output;
    }

    private static (RegressionTreeEnsemble? Ensemble, Platt? Platt) Predictor(ITransformer predictor, TaskKind task)
    {
        switch (predictor)
        {
            case ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> lightGbm
                when task == TaskKind.BinaryClassification:
                return (lightGbm.Model.SubModel.TrainedTreeEnsemble, new Platt(lightGbm.Model.Calibrator.Slope, lightGbm.Model.Calibrator.Offset));
            case ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> fastTree
                when task == TaskKind.BinaryClassification:
                return (fastTree.Model.SubModel.TrainedTreeEnsemble, new Platt(fastTree.Model.Calibrator.Slope, fastTree.Model.Calibrator.Offset));
            case ISingleFeaturePredictionTransformer<LightGbmRegressionModelParameters> lightGbm when task == TaskKind.Regression:
                return (lightGbm.Model.TrainedTreeEnsemble, null);
            case ISingleFeaturePredictionTransformer<FastTreeRegressionModelParameters> fastTree when task == TaskKind.Regression:
                return (fastTree.Model.TrainedTreeEnsemble, null);
            default:
                return (null, null);
        }
    }

    /// <summary>
    /// Where each feature lands in the model's feature vector, read from the slot names ML.NET gives it: the numeric
    /// features one slot each, then one one-hot block per categorical feature (a slot per category the model knows).
    /// </summary>
    private static bool TryLayout(
        DataViewSchema schema, FeatureSchema features, out int slotCount, out int[] numericSlots,
        out FrozenDictionary<string, int>[] categorySlots, out string reason)
    {
        slotCount = 0;
        numericSlots = [];
        categorySlots = [];
        if (schema.GetColumnOrNull(ModelTrainer.FeaturesColumn) is not { Type: VectorDataViewType { ItemType: NumberDataViewType } vectorType } column
            || vectorType.ItemType.RawType != typeof(float) || !vectorType.IsKnownSize)
        {
            reason = $"no fixed-size float vector column '{ModelTrainer.FeaturesColumn}'";
            return false;
        }

        if (column.Annotations.Schema.GetColumnOrNull(SlotNamesKind) is null)
        {
            reason = "the feature vector has no slot names";
            return false;
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        var slotNames = names.DenseValues().Select(n => n.ToString()).ToArray();
        var expected = new List<string>(features.Numeric);
        numericSlots = [.. Enumerable.Range(0, features.Numeric.Count)];
        categorySlots = new FrozenDictionary<string, int>[features.Categorical.Count];
        for (var i = 0; i < features.Categorical.Count; i++)
        {
            var name = features.Categorical[i] + ModelTrainer.OneHotSuffix;
            if (schema.GetColumnOrNull(name) is not { Type: VectorDataViewType } oneHot
                || oneHot.Annotations.Schema.GetColumnOrNull(SlotNamesKind) is null)
            {
                reason = $"no one-hot column '{name}' with slot names";
                return false;
            }

            VBuffer<ReadOnlyMemory<char>> categories = default;
            oneHot.GetSlotNames(ref categories);
            var values = categories.DenseValues().Select(c => c.ToString()).ToArray();
            var start = expected.Count;
            var slots = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var k = 0; k < values.Length; k++)
            {
                if (!slots.TryAdd(values[k], start + k))
                {
                    reason = $"'{name}' names category '{values[k]}' twice";
                    return false;
                }

                expected.Add($"{name}.{values[k]}");
            }

            categorySlots[i] = slots.ToFrozenDictionary(StringComparer.Ordinal);
        }

        if (!slotNames.SequenceEqual(expected, StringComparer.Ordinal))
        {
            reason = "the feature vector's slots are not the numeric features followed by one one-hot block per categorical feature";
            return false;
        }

        slotCount = slotNames.Length;
        reason = string.Empty;
        return true;
    }

    private static (Node[] Nodes, int[][] CategoricalSplits, double[] Leaves, int[] Roots) Flatten(RegressionTreeEnsemble ensemble)
    {
        var nodes = new List<Node>();
        var categorical = new List<int[]>();
        var leaves = new List<double>();
        var roots = new int[ensemble.Trees.Count];
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            var nodeBase = nodes.Count;
            var leafBase = leaves.Count;
            if (tree.NumberOfNodes == 0 || tree.LeftChild[0] == 0)
            {
                // An empty tree: ML.NET adds 0 for it.
                roots[t] = ~leaves.Count;
                leaves.Add(0.0);
                continue;
            }

            for (var n = 0; n < tree.NumberOfNodes; n++)
            {
                int feature;
                if (tree.CategoricalSplitFlags[n])
                {
                    feature = ~categorical.Count;
                    categorical.Add([.. tree.GetCategoricalSplitFeaturesAt(n)]);
                }
                else
                {
                    feature = tree.NumericalSplitFeatureIndexes[n];
                }

                nodes.Add(new Node(feature, tree.NumericalSplitThresholds[n], Child(tree.LeftChild[n]), Child(tree.RightChild[n])));
            }

            leaves.AddRange(tree.LeafValues);
            roots[t] = nodeBase;

            // Inner nodes count from the tree's first node, leaves (~index) from its first leaf.
            int Child(int child) => child >= 0 ? nodeBase + child : ~(leafBase + ~child);
        }

        return ([.. nodes], [.. categorical], [.. leaves], roots);
    }

    /// <summary>
    /// Compares with ML.NET bit for bit on rows that cross every split: each numeric feature on, just below and just
    /// above each of its thresholds (and 0 and huge values), each category the model knows plus an empty and an unseen
    /// one, one feature at a time and mixed at random.
    /// </summary>
    private bool Verify(Func<FeatureRow, (double Score, double Raw)?> reference, out string reason)
    {
        var numericProbes = new List<float>[features.Numeric.Count];
        for (var i = 0; i < numericProbes.Length; i++)
        {
            var slot = numericSlots[i];
            var values = new SortedSet<float> { 0f, -1f, 1f, -1e30f, 1e30f };
            foreach (var node in nodes)
            {
                if (node.Feature == slot && float.IsFinite(node.Threshold))
                {
                    values.Add(node.Threshold);
                    values.Add(MathF.BitDecrement(node.Threshold));
                    values.Add(MathF.BitIncrement(node.Threshold));
                }
            }

            numericProbes[i] = [.. values];
        }

        var categoryProbes = categorySlots
            .Select(slots => slots.Keys.Order(StringComparer.Ordinal).Append(string.Empty).Append("\u0001tollgate-unseen").ToList())
            .ToArray();
        var baseNumeric = numericProbes.Select(_ => 0f).ToArray();
        var baseCategory = categoryProbes.Select(p => p[0]).ToArray();
        var rows = new List<FeatureRow>();
        for (var i = 0; i < numericProbes.Length; i++)
        {
            foreach (var value in numericProbes[i])
            {
                var numeric = (float[])baseNumeric.Clone();
                numeric[i] = value;
                rows.Add(Row(numeric, baseCategory));
            }
        }

        for (var i = 0; i < categoryProbes.Length; i++)
        {
            foreach (var value in categoryProbes[i])
            {
                var category = (string[])baseCategory.Clone();
                category[i] = value;
                rows.Add(Row(baseNumeric, category));
            }
        }

        var random = new Random(20261127);
        for (var r = 0; r < MixedProbeRows; r++)
        {
            rows.Add(Row(
                [.. numericProbes.Select(p => p[random.Next(p.Count)])],
                [.. categoryProbes.Select(p => p[random.Next(p.Count)])]));
        }

        foreach (var row in rows)
        {
            var expected = reference(row);
            if (expected is null || !TryScore(row, out var score, out var raw))
            {
                reason = $"a probe row could not be scored both ways ({Describe(row)})";
                return false;
            }

            if (BitConverter.DoubleToInt64Bits(score) != BitConverter.DoubleToInt64Bits(expected.Value.Score)
                || BitConverter.DoubleToInt64Bits(raw) != BitConverter.DoubleToInt64Bits(expected.Value.Raw))
            {
                reason = $"differs from ML.NET on a probe row ({Describe(row)}): score {score:R} vs {expected.Value.Score:R}, raw {raw:R} vs {expected.Value.Raw:R}";
                return false;
            }
        }

        ProbeRows = rows.Count;
        reason = string.Empty;
        return true;
    }

    private FeatureRow Row(float[] numeric, string[] categorical) => new(
        features.Numeric.Select((name, i) => KeyValuePair.Create(name, numeric[i])).ToDictionary(StringComparer.Ordinal),
        features.Categorical.Select((name, i) => KeyValuePair.Create(name, categorical[i])).ToDictionary(StringComparer.Ordinal));

    private static string Describe(FeatureRow row) =>
        string.Join(", ", row.Numeric.Select(p => $"{p.Key}={p.Value:R}").Concat(row.Categorical.Select(p => $"{p.Key}='{p.Value}'")));

    private readonly record struct Node(int Feature, float Threshold, int Left, int Right);

    /// <summary>ML.NET's Platt calibrator: P = 1 / (1 + exp(slope · raw + offset)), computed in double, returned as float.</summary>
    private readonly record struct Platt(double Slope, double Offset)
    {
        public double Probability(float output) =>
            float.IsNaN(output) ? output : (float)(1 / (1 + Math.Exp((Slope * output) + Offset)));
    }
}
