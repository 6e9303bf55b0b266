using Tollgate.Core.Errors;
using Tollgate.Core.Specs;

namespace Tollgate.Modeling.Scoring;

/// <summary>The task names written to candidate.json: the same words as model.yaml's <c>task</c>.</summary>
public static class TaskNames
{
    public const string Binary = "binary-classification";
    public const string Regression = "regression";

    public static string Of(TaskKind task) => task == TaskKind.Regression ? Regression : Binary;

    public static TaskKind Parse(string text, string source) => text switch
    {
        Binary => TaskKind.BinaryClassification,
        Regression => TaskKind.Regression,
        _ => throw new ConfigurationException($"{source}: 'task' is '{text}'; expected {Binary} or {Regression}."),
    };
}
