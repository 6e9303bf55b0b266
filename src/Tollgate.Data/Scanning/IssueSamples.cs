namespace Tollgate.Data.Scanning;

/// <summary>How many rows had one kind of problem, and the first few (line, value) so a message can point at them.</summary>
public sealed class IssueSamples
{
    public const int Keep = 5;

    private readonly List<IssueSample> first = [];

    public long Count { get; private set; }

    /// <summary>The earliest samples by line number.</summary>
    public IReadOnlyList<IssueSample> First => first;

    public void Add(long line, ReadOnlySpan<char> value)
    {
        Count++;
        if (first.Count < Keep)
        {
            first.Add(new IssueSample(line, Clip(value)));
        }
    }

    public void Add(long line, string value)
    {
        Count++;
        if (first.Count < Keep)
        {
            first.Add(new IssueSample(line, Clip(value)));
        }
    }

    public void Merge(IssueSamples other)
    {
        Count += other.Count;
        first.AddRange(other.first);
        first.Sort((a, b) => a.Line.CompareTo(b.Line));
        if (first.Count > Keep)
        {
            first.RemoveRange(Keep, first.Count - Keep);
        }
    }

    /// <summary><c>line 88 'n/a', line 90 'x' (+12 more)</c>.</summary>
    public string Describe()
    {
        var shown = string.Join(", ", first.Select(s => s.Value.Length == 0 ? $"line {s.Line}" : $"line {s.Line} '{s.Value}'"));
        var more = Count - first.Count;
        return more > 0 ? $"{shown} (+{more} more)" : shown;
    }

    private static string Clip(ReadOnlySpan<char> value) =>
        value.Length > 60 ? string.Concat(value[..57], "...") : value.ToString();
}
