namespace Tollgate.Core.Releases;

/// <summary>What the retention policy keeps and deletes, each with the reason, so every deletion can be logged.</summary>
/// <param name="Keep">Versions kept, with why (e.g. <c>production</c>, <c>rollback target</c>, <c>newest 7</c>).</param>
/// <param name="Delete">Versions to delete, with why.</param>
public sealed record RetentionDecision(
    IReadOnlyList<KeyValuePair<string, string>> Keep,
    IReadOnlyList<KeyValuePair<string, string>> Delete);
