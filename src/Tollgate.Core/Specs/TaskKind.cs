namespace Tollgate.Core.Specs;

/// <summary>What the model predicts.</summary>
public enum TaskKind
{
    BinaryClassification,
    Regression,
}
