using System.Collections.Frozen;

namespace Tollgate.Modeling.Scoring;

/// <summary>
/// The positions of one kind of feature (the numeric or the categorical names of a <see cref="FeatureSchema"/>), built
/// once per served model and shared by every <see cref="FeatureValues{T}"/> row made with it.
/// </summary>
public sealed class FeatureIndex
{
    private readonly FrozenDictionary<string, int> positions;

    private FeatureIndex(IReadOnlyList<string> names)
    {
        Names = [.. names];
        positions = Names.Select((name, i) => KeyValuePair.Create(name, i)).ToFrozenDictionary(StringComparer.Ordinal);
        if (positions.Count != Names.Count)
        {
            throw new ArgumentException("feature names must be distinct", nameof(names));
        }
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    public static FeatureIndex Of(IReadOnlyList<string> names) => new(names ?? throw new ArgumentNullException(nameof(names)));

    /// <summary>The position of <paramref name="name"/>, or -1 when it is not a feature of this kind.</summary>
    public int IndexOf(string name) => positions.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Whether this index lists exactly <paramref name="names"/>, in that order.</summary>
    public bool Matches(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != Names.Count)
        {
            return false;
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (!string.Equals(names[i], Names[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
