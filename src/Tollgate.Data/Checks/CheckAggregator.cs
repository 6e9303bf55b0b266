using Tollgate.Core.Stages;

namespace Tollgate.Data.Checks;

/// <summary>
/// Folds per-dump results into one result per (check id, column): a check failed if it failed in any dump, and its
/// message is the first failure's, plus how many dumps failed. 561 dumps × 60 checks stay a report a person reads.
/// </summary>
public static class CheckAggregator
{
    public static IReadOnlyList<CheckResult> Aggregate(IReadOnlyList<(string File, IReadOnlyList<CheckResult> Checks)> perDump)
    {
        var groups = perDump
            .SelectMany(d => d.Checks.Select(c => (d.File, Check: c)))
            .GroupBy(x => (x.Check.Id, x.Check.Column));
        var result = new List<CheckResult>();
        foreach (var g in groups)
        {
            var all = g.ToList();
            var failed = all.Where(x => x.Check.Status == CheckStatus.Failed)
                .OrderBy(x => x.Check.Severity)
                .ToList();
            if (failed.Count > 0)
            {
                var first = failed[0].Check;
                var others = failed.Select(x => x.File).Distinct().Skip(1).ToList();
                var suffix = others.Count == 0
                    ? string.Empty
                    : $" Also in {others.Count} other dump(s): {string.Join(", ", others.Take(3).Select(Path.GetFileName))}{(others.Count > 3 ? ", …" : string.Empty)}.";
                result.Add(first with { Message = first.Message + suffix });
                continue;
            }

            var passed = all.Where(x => x.Check.Status == CheckStatus.Passed).ToList();
            if (passed.Count == 0)
            {
                result.Add(all[0].Check);
                continue;
            }

            var one = passed[^1].Check;
            result.Add(passed.Count == 1 ? one : one with { Message = $"passed in {passed.Count} dump(s); last: {one.Message}" });
        }

        // Errors first, then warnings, then the rest — the order a reader (and the console) needs.
        return result
            .OrderBy(c => c.IsBlocking ? 0 : c.Status == CheckStatus.Failed ? 1 : 2)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ThenBy(c => c.Column, StringComparer.Ordinal)
            .ToList();
    }
}
