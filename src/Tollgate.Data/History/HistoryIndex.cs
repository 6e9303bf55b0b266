namespace Tollgate.Data.History;

/// <summary><c>index.json</c> of a profile history: the accepted dumps, in file-name (date) order.</summary>
public sealed record HistoryIndex
{
    public required string Model { get; init; }

    public IReadOnlyList<HistoryEntry> Entries { get; init; } = [];
}
