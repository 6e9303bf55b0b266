namespace Tollgate.Data.Scanning;

/// <summary>A set of columns whose combined value must be unique: the primary key, a <c>unique</c> column, or a
/// <c>duplicateValues</c> rule.</summary>
/// <param name="Id">The check id reported when it is violated.</param>
/// <param name="Columns">The columns, in key order.</param>
/// <param name="IntegerKey">True for a single integer column: values are stored exactly instead of hashed.</param>
public sealed record KeySet(string Id, IReadOnlyList<string> Columns, bool IntegerKey);
