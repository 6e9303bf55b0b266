using Tollgate.Modeling.Scoring;

namespace Tollgate.Modeling.Data;

/// <summary>
/// Feature values column by column, with optional labels. The one in-memory form every path uses: training,
/// evaluation, permutation importance and serving all turn a <see cref="FeatureTable"/> into an ML.NET view through
/// <see cref="FeatureDataView"/>, so a feature is never prepared two different ways.
/// </summary>
public sealed class FeatureTable
{
    public FeatureTable(FeatureSchema schema, float[][] numeric, string[][] categorical, float[]? labels)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(numeric);
        ArgumentNullException.ThrowIfNull(categorical);
        if (numeric.Length != schema.Numeric.Count || categorical.Length != schema.Categorical.Count)
        {
            throw new ArgumentException("column count does not match the feature schema");
        }

        Count = numeric.Length > 0 ? numeric[0].Length : categorical.Length > 0 ? categorical[0].Length : labels?.Length ?? 0;
        if (numeric.Any(c => c.Length != Count) || categorical.Any(c => c.Length != Count) || (labels is not null && labels.Length != Count))
        {
            throw new ArgumentException("all columns must have the same length");
        }

        Schema = schema;
        Numeric = numeric;
        Categorical = categorical;
        Labels = labels;
    }

    public FeatureSchema Schema { get; }

    public int Count { get; }

    /// <summary>One array per numeric feature, in schema order.</summary>
    public float[][] Numeric { get; }

    /// <summary>One array per categorical feature, in schema order.</summary>
    public string[][] Categorical { get; }

    /// <summary>Binary: 1 positive, 0 negative. Regression: the target. Null when scoring unlabeled rows.</summary>
    public float[]? Labels { get; }

    /// <summary>Builds a table from rows; missing numeric values become NaN. Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static FeatureTable FromRows(FeatureSchema schema, IReadOnlyList<FeatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(rows);
        var numeric = schema.Numeric.Select(_ => new float[rows.Count]).ToArray();
        var categorical = schema.Categorical.Select(_ => new string[rows.Count]).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var problems = schema.Validate(row);
            if (problems.Count > 0)
            {
                throw new ArgumentException($"row {r}: {string.Join(" ", problems)}", nameof(rows));
            }

            for (var i = 0; i < schema.Numeric.Count; i++)
            {
                numeric[i][r] = row.Numeric[schema.Numeric[i]];
            }

            for (var i = 0; i < schema.Categorical.Count; i++)
            {
                categorical[i][r] = row.Categorical[schema.Categorical[i]];
            }
        }

        return new FeatureTable(schema, numeric, categorical, null);
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public FeatureTable Select(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return new FeatureTable(
            Schema,
            [.. Numeric.Select(c => Pick(c, indices))],
            [.. Categorical.Select(c => Pick(c, indices))],
            Labels is null ? null : Pick(Labels, indices));
    }

    /// <summary>A copy with other labels (e.g. shuffled for a negative control).</summary>
    public FeatureTable WithLabels(float[]? labels) => new(Schema, Numeric, Categorical, labels);

    /// <summary>A copy where one feature's values are reordered by <paramref name="permutation"/> (permutation importance).</summary>
    public FeatureTable WithPermutedFeature(string feature, IReadOnlyList<int> permutation)
    {
        var numeric = (float[][])Numeric.Clone();
        var categorical = (string[][])Categorical.Clone();
        var n = Schema.Numeric.ToList().IndexOf(feature);
        if (n >= 0)
        {
            numeric[n] = Pick(Numeric[n], permutation);
        }
        else
        {
            var c = Schema.Categorical.ToList().IndexOf(feature);
            if (c < 0)
            {
                throw new ArgumentException($"'{feature}' is not a feature", nameof(feature));
            }

            categorical[c] = Pick(Categorical[c], permutation);
        }

        return new FeatureTable(Schema, numeric, categorical, Labels);
    }

    /// <summary>The value of <paramref name="feature"/> in row <paramref name="row"/>, as text.</summary>
    public string ValueText(string feature, int row)
    {
        var n = Schema.Numeric.ToList().IndexOf(feature);
        return n >= 0
            ? Numeric[n][row].ToString(System.Globalization.CultureInfo.InvariantCulture)
            : Categorical[Schema.Categorical.ToList().IndexOf(feature)][row];
    }

    private static T[] Pick<T>(T[] source, IReadOnlyList<int> indices)
    {
        var result = new T[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            result[i] = source[indices[i]];
        }

        return result;
    }
}
