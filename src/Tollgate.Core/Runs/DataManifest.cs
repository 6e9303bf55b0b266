namespace Tollgate.Core.Runs;

/// <summary>
/// <c>validate-data/accepted.json</c>: the dumps Validate-Data accepted for this run. Train reads exactly these files
/// and checks their digests, so a file changed after validation is refused.
/// </summary>
public sealed record DataManifest
{
    public const string FileName = "accepted.json";

    public required string Model { get; init; }

    public required string Contract { get; init; }

    public required IReadOnlyList<DataFileRecord> Files { get; init; }

    /// <summary>Field delimiter of the files.</summary>
    public char Delimiter { get; init; } = ',';

    public long TotalRows => Files.Sum(f => f.Rows);

    public string? FirstTimestamp => Files.Select(f => f.FirstTimestamp).Where(t => t is not null).Min();

    public string? LastTimestamp => Files.Select(f => f.LastTimestamp).Where(t => t is not null).Max();
}
