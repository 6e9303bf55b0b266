using Microsoft.ML;
using Microsoft.ML.Data;
using Tollgate.Core.Specs;
using Tollgate.Modeling.Scoring;

namespace Tollgate.Modeling.Data;

/// <summary>
/// A one-row ML.NET input with exactly the columns of <see cref="FeatureDataView"/> (no label), refilled for every row:
/// what ML.NET's PredictionEngine does for typed rows, for our per-model feature schema. The fitted transformer is bound
/// to it once (<see cref="ITransformer.GetRowToRowMapper"/>), so scoring a row costs only the transforms themselves,
/// not building a data view and a transform chain per call. Not thread-safe: one per scorer.
/// </summary>
internal sealed class FeatureRowInput : DataViewRow
{
    private readonly float[] numeric;
    private readonly ReadOnlyMemory<char>[] categorical;
    private readonly FeatureRowReader reader;
    private long position = -1;

    public FeatureRowInput(FeatureSchema features, TaskKind task)
    {
        reader = new FeatureRowReader(features);
        numeric = new float[features.Numeric.Count];
        categorical = new ReadOnlyMemory<char>[features.Categorical.Count];
        Schema = FeatureDataView.SchemaOf(features, task, withLabel: false);
    }

    public override DataViewSchema Schema { get; }

    /// <summary>Advances with every <see cref="TryFill"/>: ML.NET's mapped rows cache computed values by position.</summary>
    public override long Position => position;

    public override long Batch => 0;

    /// <summary>
    /// Loads <paramref name="row"/> as the next row, with the values <see cref="FeatureTable.FromRows"/> would take.
    /// False (row unchanged) when the row lacks a feature or carries one the model does not know.
    /// </summary>
    public bool TryFill(FeatureRow row)
    {
        if (!reader.TryOpen(row, out var values))
        {
            return false;
        }

        for (var i = 0; i < numeric.Length; i++)
        {
            if (!values.TryGetNumeric(i, out numeric[i]))
            {
                return false;
            }
        }

        for (var i = 0; i < categorical.Length; i++)
        {
            if (!values.TryGetCategorical(i, out var text))
            {
                return false;
            }

            categorical[i] = text.AsMemory();
        }

        position++;
        return true;
    }

    public override bool IsColumnActive(DataViewSchema.Column column) => true;

    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        (ref DataViewRowId value) => value = new DataViewRowId((ulong)position, 0);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        var index = column.Index;
        Delegate getter = index < numeric.Length
            ? (ValueGetter<float>)((ref float v) => v = numeric[index])
            : (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = categorical[index - numeric.Length]);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}");
    }
}
