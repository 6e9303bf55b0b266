namespace Tollgate.Core.Releases;

/// <summary>
/// The chain of production versions a rollback walks back along, replayed from the history: a promote pushes its
/// version; a rollback to a version on the chain pops back to it (the versions above it were rolled back from and are
/// not gone back to by a plain rollback); a rollback to a version off the chain pushes it.
/// </summary>
public sealed class ReleaseLineage
{
    private readonly List<ReleasedModel> chain = [];

    public ReleaseLineage(IEnumerable<ReleaseEvent> history)
    {
        foreach (var e in history)
        {
            var at = chain.FindLastIndex(r => r.Version == e.Release.Version);
            if (e.Kind == ReleaseEvent.RollbackKind && at >= 0)
            {
                chain.RemoveRange(at + 1, chain.Count - at - 1);
            }
            else
            {
                chain.Add(e.Release);
            }
        }
    }

    /// <summary>Oldest first; the last element is production.</summary>
    public IReadOnlyList<ReleasedModel> Chain => chain;

    public ReleasedModel? Production => chain.Count > 0 ? chain[^1] : null;

    /// <summary>Where a plain rollback goes: the version below production on the chain, or null when there is none.</summary>
    public ReleasedModel? RollbackTarget => chain.Count > 1 ? chain[^2] : null;
}
