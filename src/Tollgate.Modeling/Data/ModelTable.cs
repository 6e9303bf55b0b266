namespace Tollgate.Modeling.Data;

/// <summary>
/// The modelling data of a run, sorted by time: features with labels, each row's timestamp and key, extra columns asked
/// for (e.g. slice columns that are not features), and how often each raw label value occurs.
/// </summary>
public sealed class ModelTable
{
    public ModelTable(
        FeatureTable features,
        DateTime[] timestamps,
        string[] keys,
        IReadOnlyDictionary<string, string[]> extra,
        IReadOnlyDictionary<string, int> labelValueCounts)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Labels is null || timestamps.Length != features.Count || keys.Length != features.Count)
        {
            throw new ArgumentException("a model table needs labels, timestamps and keys for every row");
        }

        Features = features;
        Timestamps = timestamps;
        Keys = keys;
        Extra = extra;
        LabelValueCounts = labelValueCounts;
    }

    public FeatureTable Features { get; }

    public int Count => Features.Count;

    public float[] Labels => Features.Labels!;

    public DateTime[] Timestamps { get; }

    /// <summary>Row keys (key columns joined with <c>|</c>), or the 1-based row number when the spec declares none.</summary>
    public string[] Keys { get; }

    /// <summary>Non-feature columns read on request, as text.</summary>
    public IReadOnlyDictionary<string, string[]> Extra { get; }

    /// <summary>Raw label values and their counts over the whole table (binary: should be exactly two).</summary>
    public IReadOnlyDictionary<string, int> LabelValueCounts { get; }

    private static Core.Errors.ConfigurationException Missing(string column) =>
        new($"column '{column}' is needed by the model being compared but is not in this run's data; it cannot be scored on the same holdout.");

    public ModelTable Select(IReadOnlyList<int> indices) =>
        new(
            Features.Select(indices),
            [.. indices.Select(i => Timestamps[i])],
            [.. indices.Select(i => Keys[i])],
            Extra.ToDictionary(kv => kv.Key, kv => indices.Select(i => kv.Value[i]).ToArray()),
            LabelValueCounts);

    /// <summary>Text values of a column for slicing: a feature or an extra column.</summary>
    public string[] ColumnText(string column)
    {
        if (Extra.TryGetValue(column, out var extra))
        {
            return extra;
        }

        return [.. Enumerable.Range(0, Count).Select(r => Features.ValueText(column, r))];
    }

    /// <summary>
    /// The features another model reads (e.g. the production model's), taken from this table's features or, for columns
    /// that are not features of the current spec, from its extra columns (numbers parsed; empty means missing).
    /// Throws <see cref="Core.Errors.ConfigurationException"/> naming a column the run's data does not hold.
    /// </summary>
    public FeatureTable FeaturesFor(Scoring.FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var mine = Features.Schema;
        float[] Numeric(string name)
        {
            var i = mine.Numeric.ToList().IndexOf(name);
            if (i >= 0)
            {
                return Features.Numeric[i];
            }

            var text = Extra.TryGetValue(name, out var e) ? e : throw Missing(name);
            return [.. text.Select(t => float.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : float.NaN)];
        }

        string[] Categorical(string name)
        {
            var i = mine.Categorical.ToList().IndexOf(name);
            return i >= 0 ? Features.Categorical[i] : Extra.TryGetValue(name, out var e) ? e : throw Missing(name);
        }

        return new FeatureTable(schema, [.. schema.Numeric.Select(Numeric)], [.. schema.Categorical.Select(Categorical)], Features.Labels);
    }

    /// <summary>Numeric values of a feature column, or null when it is not numeric.</summary>
    public float[]? NumericColumn(string column)
    {
        var i = Features.Schema.Numeric.ToList().IndexOf(column);
        return i >= 0 ? Features.Numeric[i] : null;
    }
}
