namespace Tollgate.Data.Profiles;

/// <summary>Pools dump profiles into one (the reference of recent history, or the profile of all accepted data).</summary>
public static class ProfileMerger
{
    public static DumpProfile Merge(string name, IReadOnlyList<DumpProfile> profiles)
    {
        var columns = new List<ColumnProfile>();
        foreach (var group in profiles.SelectMany(p => p.Columns).GroupBy(c => c.Name, StringComparer.Ordinal))
        {
            columns.Add(MergeColumns(group.ToList()));
        }

        return new DumpProfile
        {
            File = name,
            Sha256 = string.Empty,
            Rows = profiles.Sum(p => p.Rows),
            Bytes = profiles.Sum(p => p.Bytes),
            LabelPositive = profiles.Sum(p => p.LabelPositive),
            LabelCount = profiles.Sum(p => p.LabelCount),
            FirstTimestamp = profiles.Select(p => p.FirstTimestamp).Where(t => t is not null).Min(),
            LastTimestamp = profiles.Select(p => p.LastTimestamp).Where(t => t is not null).Max(),
            ContractSha256 = profiles.Select(p => p.ContractSha256).LastOrDefault() ?? string.Empty,
            Columns = columns,
        };
    }

    public static ColumnProfile MergeColumns(IReadOnlyList<ColumnProfile> parts)
    {
        var first = parts[0];
        var pos = new QuantileSketch();
        var neg = new QuantileSketch();
        Dictionary<string, long[]>? categories = null;
        long other = 0;
        foreach (var p in parts)
        {
            pos.Merge(QuantileSketch.From(p.SketchPositive));
            neg.Merge(QuantileSketch.From(p.SketchNegative));
            if (p.Categories is not null)
            {
                categories ??= new Dictionary<string, long[]>(StringComparer.Ordinal);
                foreach (var (k, v) in p.Categories)
                {
                    if (!categories.TryGetValue(k, out var acc))
                    {
                        if (categories.Count >= Scanning.ColumnState.CategoryCap)
                        {
                            other += v[0];
                            continue;
                        }

                        categories[k] = acc = new long[2];
                    }

                    acc[0] += v[0];
                    acc[1] += v[1];
                }
            }

            other += p.OtherCount;
        }

        var mins = parts.Select(p => p.Min).Where(double.IsFinite).ToList();
        var maxs = parts.Select(p => p.Max).Where(double.IsFinite).ToList();
        return first with
        {
            Count = parts.Sum(p => p.Count),
            Nulls = parts.Sum(p => p.Nulls),
            Missing = parts.Sum(p => p.Missing),
            Min = mins.Count > 0 ? mins.Min() : double.NaN,
            Max = maxs.Count > 0 ? maxs.Max() : double.NaN,
            Sum = parts.Sum(p => p.Sum),
            SumSquares = parts.Sum(p => p.SumSquares),
            SumPositive = parts.Sum(p => p.SumPositive),
            CountPositive = parts.Sum(p => p.CountPositive),
            SketchPositive = pos.Count > 0 ? pos.ToData() : null,
            SketchNegative = neg.Count > 0 ? neg.ToData() : null,
            Categories = categories,
            OtherCount = other,
            MinDate = parts.Select(p => p.MinDate).Where(d => d is not null).Min(),
            MaxDate = parts.Select(p => p.MaxDate).Where(d => d is not null).Max(),
        };
    }
}
