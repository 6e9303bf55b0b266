using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Tollgate.Modeling.Scoring;

/// <summary>
/// One row's values of one kind of feature, stored by position in a shared <see cref="FeatureIndex"/>: a dictionary by
/// feature name to its readers, one small array to the server that fills it for every request (a
/// <see cref="Dictionary{TKey, TValue}"/> per row cost the serving path a third of its garbage). Only values set are
/// present; enumeration is in the index's order. Not thread-safe while being filled.
/// </summary>
public sealed class FeatureValues<T> : IReadOnlyDictionary<string, T>
{
    private readonly T[] values;
    private readonly bool[] present;

    public FeatureValues(FeatureIndex index)
    {
        Index = index ?? throw new ArgumentNullException(nameof(index));
        values = new T[index.Count];
        present = new bool[index.Count];
    }

    public FeatureIndex Index { get; }

    public int Count { get; private set; }

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<T> Values => this.Select(p => p.Value);

    public T this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"'{key}' has no value in this row");

    /// <summary>Sets the value of a feature of this index; false when <paramref name="name"/> is not one.</summary>
    public bool TrySet(string name, T value)
    {
        var i = Index.IndexOf(name);
        if (i < 0)
        {
            return false;
        }

        if (!present[i])
        {
            present[i] = true;
            Count++;
        }

        values[i] = value;
        return true;
    }

    /// <summary>Unsets every value, for a row that is filled again (the server reuses single-row buffers).</summary>
    public void Clear()
    {
        Array.Clear(values);
        Array.Clear(present);
        Count = 0;
    }

    /// <summary>The value at a position of <see cref="Index"/>, if set.</summary>
    public bool TryGetAt(int position, [MaybeNullWhen(false)] out T value)
    {
        value = values[position];
        return present[position];
    }

    public bool ContainsKey(string key) => Index.IndexOf(key) is var i and >= 0 && present[i];

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out T value)
    {
        var i = Index.IndexOf(key);
        if (i >= 0 && present[i])
        {
            value = values[i];
            return true;
        }

        value = default;
        return false;
    }

    public IEnumerator<KeyValuePair<string, T>> GetEnumerator()
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (present[i])
            {
                yield return KeyValuePair.Create(Index.Names[i], values[i]);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
