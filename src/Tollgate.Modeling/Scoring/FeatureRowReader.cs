using System.Diagnostics.CodeAnalysis;

namespace Tollgate.Modeling.Scoring;

/// <summary>
/// Reads a <see cref="FeatureRow"/>'s values in its schema's order. Rows the server builds hold their values by position
/// in this very schema (<see cref="FeatureValues{T}"/> over an index that lists the schema's features in order): they
/// are read without a name lookup; any other row by name. The index pair last matched is remembered (a server reuses
/// one). Safe to share between threads.
/// </summary>
internal sealed class FeatureRowReader(FeatureSchema features)
{
    private KnownIndexes? known;

    /// <summary>
    /// A view of <paramref name="row"/> in schema order; false when the row lacks a feature or carries one the schema
    /// does not know (the counts differ: schema names are distinct).
    /// </summary>
    public bool TryOpen(FeatureRow row, out View view)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Numeric.Count != features.Numeric.Count || row.Categorical.Count != features.Categorical.Count)
        {
            view = default;
            return false;
        }

        var byPosition = row.Numeric is FeatureValues<float> numeric && row.Categorical is FeatureValues<string> categorical
            && Knows(numeric.Index, categorical.Index);
        view = new View(features, row, byPosition);
        return true;
    }

    private bool Knows(FeatureIndex numericIndex, FeatureIndex categoricalIndex)
    {
        if (Volatile.Read(ref known) is { } pair && ReferenceEquals(pair.Numeric, numericIndex) && ReferenceEquals(pair.Categorical, categoricalIndex))
        {
            return true;
        }

        if (!numericIndex.Matches(features.Numeric) || !categoricalIndex.Matches(features.Categorical))
        {
            return false;
        }

        Volatile.Write(ref known, new KnownIndexes(numericIndex, categoricalIndex));
        return true;
    }

    /// <summary>One row's values by schema position.</summary>
    public readonly struct View(FeatureSchema features, FeatureRow row, bool byPosition)
    {
        /// <summary>The numeric feature at schema position <paramref name="i"/>; false when the row has none.</summary>
        public bool TryGetNumeric(int i, out float value) => byPosition
            ? ((FeatureValues<float>)row.Numeric).TryGetAt(i, out value)
            : row.Numeric.TryGetValue(features.Numeric[i], out value);

        /// <summary>The categorical feature at schema position <paramref name="i"/>; false when the row has none.</summary>
        public bool TryGetCategorical(int i, [MaybeNullWhen(false)] out string value) => byPosition
            ? ((FeatureValues<string>)row.Categorical).TryGetAt(i, out value)
            : row.Categorical.TryGetValue(features.Categorical[i], out value);
    }

    private sealed record KnownIndexes(FeatureIndex Numeric, FeatureIndex Categorical);
}
