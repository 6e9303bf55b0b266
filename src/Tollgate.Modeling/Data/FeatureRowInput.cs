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
    private readonly FeatureSchema features;
    private readonly float[] numeric;
    private readonly ReadOnlyMemory<char>[] categorical;
    private long position = -1;
    private FeatureIndex? knownNumeric;
    private FeatureIndex? knownCategorical;

    public FeatureRowInput(FeatureSchema features, TaskKind task)
    {
        this.features = features;
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
        // Every schema feature present and no extra key: the counts match (schema names are distinct).
        if (row.Numeric.Count != numeric.Length || row.Categorical.Count != categorical.Length)
        {
            return false;
        }

        // Rows the server builds hold their values by position in this very schema: copy them without name lookups.
        var byPosition = row.Numeric is FeatureValues<float> numericValues && row.Categorical is FeatureValues<string> categoricalValues
            && Knows(numericValues.Index, categoricalValues.Index);
        for (var i = 0; i < numeric.Length; i++)
        {
            float value;
            if (!(byPosition ? ((FeatureValues<float>)row.Numeric).TryGetAt(i, out value) : row.Numeric.TryGetValue(features.Numeric[i], out value)))
            {
                return false;
            }

            numeric[i] = value;
        }

        for (var i = 0; i < categorical.Length; i++)
        {
            string? text;
            if (!(byPosition ? ((FeatureValues<string>)row.Categorical).TryGetAt(i, out text) : row.Categorical.TryGetValue(features.Categorical[i], out text)))
            {
                return false;
            }

            categorical[i] = text.AsMemory();
        }

        position++;
        return true;
    }

    /// <summary>Whether the two indexes list this schema's features in its order (remembered: servers reuse one pair).</summary>
    private bool Knows(FeatureIndex numericIndex, FeatureIndex categoricalIndex)
    {
        if (ReferenceEquals(numericIndex, knownNumeric) && ReferenceEquals(categoricalIndex, knownCategorical))
        {
            return true;
        }

        if (!numericIndex.Matches(features.Numeric) || !categoricalIndex.Matches(features.Categorical))
        {
            return false;
        }

        (knownNumeric, knownCategorical) = (numericIndex, categoricalIndex);
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
