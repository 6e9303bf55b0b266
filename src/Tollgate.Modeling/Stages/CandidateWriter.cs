using Tollgate.Core.IO;
using Tollgate.Modeling.Data;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Training;

namespace Tollgate.Modeling.Stages;

/// <summary>
/// Writes the release candidate: the model retrained on all rows (train + holdout, same hyperparameters and seed) and
/// its candidate.json. The folder is assembled beside the slot and renamed into place, so <c>candidate/</c> either holds
/// a complete candidate or does not exist.
/// </summary>
public static class CandidateWriter
{
    public static void Write(ModelingContext context, RunData data, Func<DateTimeOffset, CandidateMetadata> metadata)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(metadata);
        var slot = context.Run.CandidateDir;
        var tmp = slot + $".tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(tmp);
        try
        {
            context.Log.Info($"retraining on all {data.Table.Count} rows for the release candidate");
            var all = data.Table.Features;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var model = ModelTrainer.Fit(context.Spec, all);
            context.Log.Info($"retrained in {watch.Elapsed.TotalSeconds:0.0} s");
            ModelTrainer.Save(model, all, context.Spec.Task, Path.Combine(tmp, CandidateModel.ModelFileName));
            TollgateJson.WriteFile(Path.Combine(tmp, CandidateMetadata.FileName), metadata(context.Time.GetUtcNow()));
            Remove(context);
            Directory.Move(tmp, slot);
        }
        finally
        {
            if (Directory.Exists(tmp))
            {
                Directory.Delete(tmp, recursive: true);
            }
        }
    }

    /// <summary>Removes a candidate left by an earlier attempt of this run: a rejected run must leave no candidate.</summary>
    public static void Remove(ModelingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Directory.Exists(context.Run.CandidateDir))
        {
            Directory.Delete(context.Run.CandidateDir, recursive: true);
        }
    }
}
