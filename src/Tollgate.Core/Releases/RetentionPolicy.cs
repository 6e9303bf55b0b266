using Tollgate.Core.Errors;

namespace Tollgate.Core.Releases;

/// <summary>
/// Which model images (or release folders) to keep: the newest <see cref="Keep"/> versions, and always the production
/// version and the rollback target, even when they are older — a prune must never take away what serves or what a
/// 3 a.m. rollback needs.
/// </summary>
public sealed class RetentionPolicy
{
    public RetentionPolicy(int keep)
    {
        if (keep < 1)
        {
            throw new ConfigurationException($"release.keepImages: {keep} would delete every image; use 1 or more (default 7).");
        }

        Keep = keep;
    }

    /// <summary>How many versions to keep. <value>Default 7.</value></summary>
    public int Keep { get; }

    /// <summary>
    /// Decides for <paramref name="versions"/> (release versions, which sort by time). Production and the rollback target
    /// count towards <see cref="Keep"/>; the rest of the budget goes to the newest other versions.
    /// </summary>
    public RetentionDecision Decide(IEnumerable<string> versions, string? production, string? rollbackTarget)
    {
        var newestFirst = versions.Distinct(StringComparer.Ordinal).OrderByDescending(v => v, StringComparer.Ordinal).ToList();
        var protectedCount = newestFirst.Count(v => v == production || v == rollbackTarget);
        var budget = Math.Max(0, Keep - protectedCount);
        var keep = new List<KeyValuePair<string, string>>();
        var delete = new List<KeyValuePair<string, string>>();
        foreach (var v in newestFirst)
        {
            if (v == production)
            {
                keep.Add(new(v, "production"));
            }
            else if (v == rollbackTarget)
            {
                keep.Add(new(v, "rollback target"));
            }
            else if (budget > 0)
            {
                budget--;
                keep.Add(new(v, $"among the newest {Keep}"));
            }
            else
            {
                delete.Add(new(v, $"older than the newest {Keep} kept, neither production nor rollback target"));
            }
        }

        return new RetentionDecision(keep, delete);
    }
}
