using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Stages;
using Tollgate.Modeling.Training;

namespace Tollgate.Modeling.Data;

/// <summary>
/// The run's data as the modelling stages see it: the accepted dumps read and checked, sorted by time, and split into
/// training rows and the holdout.
/// </summary>
/// <param name="Table">All accepted rows, in time order.</param>
/// <param name="Train">Indices of the training rows (strictly before the holdout).</param>
/// <param name="Holdout">Indices of the holdout rows.</param>
/// <param name="Split">Where the split fell.</param>
public sealed record RunData(ModelTable Table, int[] Train, int[] Holdout, SplitInfo Split)
{
    /// <summary>
    /// Reads <c>validate-data/accepted.json</c>, its files and splits them. With <paramref name="checkTrainSplit"/>, the split
    /// must match <c>train/split.json</c> exactly — later stages judge the same holdout rows Train held out.
    /// </summary>
    public static RunData Load(ModelingContext context, bool checkTrainSplit, IReadOnlyCollection<string>? extraColumns = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var acceptedPath = Path.Combine(context.Run.Root, StageName.ValidateData, DataManifest.FileName);
        if (!File.Exists(acceptedPath))
        {
            throw new ConfigurationException(
                $"{acceptedPath}: not found. Run 'tollgate validate-data --model {context.Spec.Name} --run-dir {context.Run.Root}' first.");
        }

        var manifest = TollgateJson.ReadFile<DataManifest>(acceptedPath);
        context.Log.Info($"reading {manifest.Files.Count} accepted file(s), {manifest.TotalRows} rows");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var table = DatasetReader.Read(context.RepoRoot, manifest, context.Spec, extraColumns);
        context.Log.Info($"read {table.Count} rows in {watch.Elapsed.TotalSeconds:0.00} s");
        var (train, holdout, split) = TimeSplit.Apply(table, context.Spec);
        if (checkTrainSplit)
        {
            var splitPath = Path.Combine(context.Run.Root, StageName.Train, SplitInfo.FileName);
            var recorded = TollgateJson.ReadFile<SplitInfo>(splitPath);
            if (recorded.HoldoutKeysSha256 != split.HoldoutKeysSha256 || recorded.TrainRows != split.TrainRows)
            {
                throw new ConfigurationException(
                    $"{splitPath}: the holdout no longer matches what Train held out ({recorded.TrainRows}/{recorded.HoldoutRows} rows then, {split.TrainRows}/{split.HoldoutRows} now); model.yaml's holdout or the data changed. Re-run train.");
            }
        }

        return new RunData(table, train, holdout, split);
    }

    public ModelTable TrainTable() => Table.Select(Train);

    public ModelTable HoldoutTable() => Table.Select(Holdout);
}
