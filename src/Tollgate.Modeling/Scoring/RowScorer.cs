using Microsoft.ML;
using Microsoft.ML.Data;
using Tollgate.Core.Specs;
using Tollgate.Modeling.Data;

namespace Tollgate.Modeling.Scoring;

/// <summary>
/// The fitted transformer bound once to a reusable <see cref="FeatureRowInput"/>: scores one row at a time through the
/// same transforms as <see cref="TrainedModel.Score"/> (ML.NET runs the same mappers per row in a cursor), without the
/// per-call cost of a new data view. Not thread-safe; <see cref="TrainedModel"/> pools them.
/// </summary>
internal sealed class RowScorer : IDisposable
{
    private readonly FeatureRowInput input;
    private readonly DataViewRow output;
    private readonly ValueGetter<float> scoreGetter;
    private readonly ValueGetter<float>? probabilityGetter;

    public RowScorer(ITransformer transformer, FeatureSchema features, TaskKind task)
    {
        input = new FeatureRowInput(features, task);
        var mapper = transformer.GetRowToRowMapper(input.Schema);
        var scoreColumn = mapper.OutputSchema["Score"];
        var probabilityColumn = task == TaskKind.Regression ? (DataViewSchema.Column?)null : mapper.OutputSchema["Probability"];
        output = mapper.GetRow(input, probabilityColumn is { } p ? [scoreColumn, p] : [scoreColumn]);
        scoreGetter = output.GetGetter<float>(scoreColumn);
        probabilityGetter = probabilityColumn is { } pc ? output.GetGetter<float>(pc) : null;
    }

    /// <summary>Scores one row; false when the row does not match the feature schema (nothing scored).</summary>
    public bool TryScore(FeatureRow row, out double score, out double raw)
    {
        if (!input.TryFill(row))
        {
            score = raw = double.NaN;
            return false;
        }

        float value = 0;
        scoreGetter(ref value);
        raw = value;
        if (probabilityGetter is not null)
        {
            probabilityGetter(ref value);
        }

        score = value;
        return true;
    }

    public void Dispose()
    {
        output.Dispose();
        input.Dispose();
    }
}
