using Microsoft.ML;
using Microsoft.ML.Data;
using Tollgate.Core.Errors;
using Tollgate.Core.Specs;
using Tollgate.Modeling.Data;

namespace Tollgate.Modeling.Scoring;

/// <summary>
/// A fitted ML.NET pipeline and the features it reads. Scores whole <see cref="FeatureTable"/>s through
/// <see cref="FeatureDataView"/> — the same path training used — and is safe to call from several threads: the
/// transformer is immutable and every call makes its own view and cursor.
/// </summary>
public sealed class TrainedModel : IDisposable
{
    public TrainedModel(ITransformer transformer, FeatureSchema features, TaskKind task)
    {
        Transformer = transformer ?? throw new ArgumentNullException(nameof(transformer));
        Features = features ?? throw new ArgumentNullException(nameof(features));
        Task = task;
    }

    public ITransformer Transformer { get; }

    public FeatureSchema Features { get; }

    public TaskKind Task { get; }

    /// <summary>Loads a <c>model.zip</c> written by <see cref="Training.ModelTrainer.Save"/>.</summary>
    public static TrainedModel Load(string path, FeatureSchema features, TaskKind task)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"{path}: model file not found. Re-run the stage that writes it.");
        }

        try
        {
            var transformer = new MLContext().Model.Load(path, out _);
            return new TrainedModel(transformer, features, task);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new ConfigurationException($"{path}: not a readable ML.NET model ({ex.Message}). Re-run the stage that writes it.");
        }
    }

    /// <summary>Scores every row of <paramref name="table"/> (labels, if any, are ignored).</summary>
    public ScoredRows Score(FeatureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var output = Transformer.Transform(new FeatureDataView(table, Task, includeLabel: false));
        var scores = new double[table.Count];
        var raw = new double[table.Count];
        var scoreColumn = output.Schema["Score"];
        var probabilityColumn = Task == TaskKind.Regression ? (DataViewSchema.Column?)null : output.Schema["Probability"];
        using var cursor = output.GetRowCursor(probabilityColumn is { } p ? [scoreColumn, p] : [scoreColumn]);
        var scoreGetter = cursor.GetGetter<float>(scoreColumn);
        var probabilityGetter = probabilityColumn is { } pc ? cursor.GetGetter<float>(pc) : null;
        var i = 0;
        float value = 0;
        while (cursor.MoveNext())
        {
            scoreGetter(ref value);
            raw[i] = value;
            if (probabilityGetter is not null)
            {
                probabilityGetter(ref value);
            }

            scores[i] = value;
            i++;
        }

        return new ScoredRows(scores, raw);
    }

    public void Dispose() => (Transformer as IDisposable)?.Dispose();
}
