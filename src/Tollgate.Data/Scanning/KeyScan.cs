namespace Tollgate.Data.Scanning;

/// <summary>What the scanner found for one <see cref="KeySet"/>: surplus rows and a few duplicated keys with their lines.</summary>
/// <param name="Set">The key.</param>
/// <param name="Rows">Rows with a complete key.</param>
/// <param name="Surplus">Rows whose key was already seen (0 when unique).</param>
/// <param name="Examples">Duplicated key values, each with the lines it appears on.</param>
public sealed record KeyScan(KeySet Set, long Rows, long Surplus, IReadOnlyList<(string Key, IReadOnlyList<long> Lines)> Examples);
