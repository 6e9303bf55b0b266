namespace Tollgate.Core.Stages;

/// <summary>
/// One name per stage, everywhere: the CLI verb, the run-directory folder and (title-cased) the Cake task.
/// </summary>
public static class StageName
{
    public const string ValidateData = "validate-data";
    public const string Train = "train";
    public const string HoldoutValidate = "holdout-validate";
    public const string ComparePrevious = "compare-previous";
    public const string LearnThresholds = "learn-thresholds";
    public const string LogMlflow = "log-mlflow";
    public const string BuildImage = "build-image";
    public const string ShadowDeploy = "shadow-deploy";
    public const string Promote = "promote";
    public const string PruneImages = "prune-images";

    /// <summary>The release chain, in order.</summary>
    public static IReadOnlyList<string> Chain { get; } =
    [
        ValidateData, Train, HoldoutValidate, ComparePrevious, LearnThresholds,
        LogMlflow, BuildImage, ShadowDeploy, Promote, PruneImages,
    ];

    /// <summary>The Cake task name for a stage: <c>holdout-validate</c> → <c>Holdout-Validate</c>.</summary>
    public static string ToCakeTask(string stage) =>
        string.Join('-', stage.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]))
            .Replace("Mlflow", "MLflow", StringComparison.Ordinal);
}
