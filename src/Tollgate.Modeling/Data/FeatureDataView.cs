using Microsoft.ML;
using Microsoft.ML.Data;
using Tollgate.Core.Specs;
using Tollgate.Modeling.Scoring;

namespace Tollgate.Modeling.Data;

/// <summary>
/// A read-only ML.NET <see cref="IDataView"/> over a <see cref="FeatureTable"/>: one column per feature under its own
/// name (Single or Text), plus <see cref="LabelColumn"/> (Boolean for binary, Single for regression) when the table has
/// labels. Training, evaluation and serving all build their input through this class.
/// </summary>
public sealed class FeatureDataView : IDataView
{
    /// <summary>The label column's name inside ML.NET pipelines (chosen so it cannot clash with a data column).</summary>
    public const string LabelColumn = "__label";

    private readonly FeatureTable table;
    private readonly TaskKind task;

    public FeatureDataView(FeatureTable table, TaskKind task, bool includeLabel = true)
    {
        this.table = table ?? throw new ArgumentNullException(nameof(table));
        this.task = task;
        HasLabel = includeLabel && table.Labels is not null;
        Schema = SchemaOf(table.Schema, task, HasLabel);
    }

    public bool HasLabel { get; }

    /// <summary>
    /// The input columns every ML.NET pipeline of this project reads: one per feature under its own name (numeric as
    /// Single, categorical as Text, in schema order), then the label when asked for. <see cref="FeatureRowInput"/>
    /// (single-row serving) uses the same schema, so both paths feed the fitted transformer identical columns.
    /// </summary>
    public static DataViewSchema SchemaOf(FeatureSchema features, TaskKind task, bool withLabel)
    {
        ArgumentNullException.ThrowIfNull(features);
        var builder = new DataViewSchema.Builder();
        foreach (var name in features.Numeric)
        {
            builder.AddColumn(name, NumberDataViewType.Single);
        }

        foreach (var name in features.Categorical)
        {
            builder.AddColumn(name, TextDataViewType.Instance);
        }

        if (withLabel)
        {
            builder.AddColumn(LabelColumn, task == TaskKind.Regression ? NumberDataViewType.Single : BooleanDataViewType.Instance);
        }

        return builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => table.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly FeatureDataView parent;
        private readonly bool[] active;
        private long position = -1;

        public Cursor(FeatureDataView parent, IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            this.parent = parent;
            active = new bool[parent.Schema.Count];
            foreach (var column in columnsNeeded)
            {
                active[column.Index] = true;
            }
        }

        public override long Position => position;

        public override long Batch => 0;

        public override DataViewSchema Schema => parent.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override bool MoveNext()
        {
            if (position + 1 < parent.table.Count)
            {
                position++;
                return true;
            }

            position = parent.table.Count;
            return false;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var table = parent.table;
            var index = column.Index;
            Delegate getter;
            if (index < table.Numeric.Length)
            {
                var values = table.Numeric[index];
                getter = (ValueGetter<float>)((ref float v) => v = values[position]);
            }
            else if (index < table.Numeric.Length + table.Categorical.Length)
            {
                var values = table.Categorical[index - table.Numeric.Length];
                getter = (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = values[position].AsMemory());
            }
            else if (parent.task == TaskKind.Regression)
            {
                var labels = table.Labels!;
                getter = (ValueGetter<float>)((ref float v) => v = labels[position]);
            }
            else
            {
                var labels = table.Labels!;
                getter = (ValueGetter<bool>)((ref bool v) => v = labels[position] > 0.5f);
            }

            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}");
        }
    }
}
