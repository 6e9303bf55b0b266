namespace Tollgate.Core.Specs;

/// <summary>Trainer name (<c>lightgbm</c> or <c>fasttree</c>) and its hyperparameters as given in model.yaml.</summary>
public sealed record TrainerSpec(string Name, IReadOnlyDictionary<string, double> Hyperparameters)
{
    /// <summary>Hyperparameters each trainer accepts (ML.NET option names, camelCased).</summary>
    public static IReadOnlyDictionary<string, string[]> Known { get; } = new Dictionary<string, string[]>
    {
        ["lightgbm"] = ["numberOfLeaves", "numberOfIterations", "learningRate", "minimumExampleCountPerLeaf", "l2Regularization", "featureFraction", "baggingFraction"],
        ["fasttree"] = ["numberOfLeaves", "numberOfTrees", "learningRate", "minimumExampleCountPerLeaf"],
    };
}
