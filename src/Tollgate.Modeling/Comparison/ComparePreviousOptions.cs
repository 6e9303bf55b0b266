using Tollgate.Core.Releases;
using Tollgate.Core.Specs;

namespace Tollgate.Modeling.Comparison;

/// <summary>
/// Compare-Previous settings: where production is recorded, and the gates of model.yaml's <c>compare:</c> and
/// <c>importance:</c> sections.
/// <code>
/// compare:
///   maximumDrop: { auc: 0.02 }            # worst allowed drop vs production, absolute
///   maximumRelativeDrop: { auc: 0.05 }    # ... or as a share of production's value
///   maximumFlipRate: 0.20                 # share of holdout rows whose decision changes
///   largeChange: 0.25                     # |Δ score| counted as a large change
///   maximumLargeChangeShare: 0.10
///   topChanges: 50                        # rows listed in the report (the diff file holds all)
///   minimumUnseenRows: 100                # compare on rows production never trained on when there are this many
/// importance:
///   permutations: 2                       # permutation rounds per feature
///   maximumShareJump: 0.25                # importance share rising more than this vs production → possible leak
///   leakSeverity: error                   # error rejects; warning only reports
///   pruneBelowShare: 0.005                # features below this share are listed as prune candidates
///   dropColumn: false                     # also retrain without each feature (slower, more accurate)
/// </code>
/// </summary>
public sealed record ComparePreviousOptions
{
    public required ReleaseStore Store { get; init; }

    public IReadOnlyDictionary<string, double> MaximumDrop { get; init; } = new Dictionary<string, double>();

    public IReadOnlyDictionary<string, double> MaximumRelativeDrop { get; init; } = new Dictionary<string, double>();

    public double? MaximumFlipRate { get; init; }

    /// <summary>|Δ score| that counts as a large change. <value>Default 0.25.</value></summary>
    public double LargeChange { get; init; } = 0.25;

    public double? MaximumLargeChangeShare { get; init; }

    /// <summary><value>Default 50.</value></summary>
    public int TopChanges { get; init; } = 50;

    /// <summary><value>Default 100.</value></summary>
    public int MinimumUnseenRows { get; init; } = 100;

    /// <summary><value>Default 2.</value></summary>
    public int Permutations { get; init; } = 2;

    public double? MaximumShareJump { get; init; }

    /// <summary><value>Default error.</value></summary>
    public Core.Stages.Severity LeakSeverity { get; init; } = Core.Stages.Severity.Error;

    /// <summary><value>Default 0.005.</value></summary>
    public double PruneBelowShare { get; init; } = 0.005;

    public bool DropColumn { get; init; }

    /// <summary>True when at least one comparison gate is configured (gates fail closed).</summary>
    public bool HasGates => MaximumDrop.Count + MaximumRelativeDrop.Count > 0 || MaximumFlipRate is not null || MaximumLargeChangeShare is not null || MaximumShareJump is not null;

    public static ComparePreviousOptions FromSpec(ModelSpec spec, ReleaseStore store, SpecErrors errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var options = new ComparePreviousOptions { Store = store };
        var compare = spec.ReadSection("compare", errors);
        if (compare is not null)
        {
            compare.RejectUnknownKeys("maximumDrop", "maximumRelativeDrop", "maximumFlipRate", "largeChange", "maximumLargeChangeShare", "topChanges", "minimumUnseenRows");
            options = options with
            {
                MaximumDrop = Metrics(compare, "maximumDrop", spec.Task),
                MaximumRelativeDrop = Metrics(compare, "maximumRelativeDrop", spec.Task),
                MaximumFlipRate = compare.Number("maximumFlipRate", min: 0, max: 1),
                LargeChange = compare.Number("largeChange", min: 0) ?? options.LargeChange,
                MaximumLargeChangeShare = compare.Number("maximumLargeChangeShare", min: 0, max: 1),
                TopChanges = compare.Integer("topChanges", min: 1, max: 100_000) ?? options.TopChanges,
                MinimumUnseenRows = compare.Integer("minimumUnseenRows", min: 1) ?? options.MinimumUnseenRows,
            };
        }

        var importance = spec.ReadSection("importance", errors);
        if (importance is not null)
        {
            importance.RejectUnknownKeys("permutations", "maximumShareJump", "leakSeverity", "pruneBelowShare", "dropColumn");
            options = options with
            {
                Permutations = importance.Integer("permutations", min: 1, max: 50) ?? options.Permutations,
                MaximumShareJump = importance.Number("maximumShareJump", min: 0, max: 1),
                LeakSeverity = importance.String("leakSeverity", oneOf: ["error", "warning"]) == "warning" ? Core.Stages.Severity.Warning : Core.Stages.Severity.Error,
                PruneBelowShare = importance.Number("pruneBelowShare", min: 0, max: 1) ?? options.PruneBelowShare,
                DropColumn = importance.Boolean("dropColumn") ?? false,
            };
        }

        return options;
    }

    private static Dictionary<string, double> Metrics(SpecNode node, string key, TaskKind task)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var map = node.Map(key);
        if (map is null)
        {
            return result;
        }

        map.RejectUnknownKeys([.. MetricCatalog.NamesFor(task)]);
        foreach (var metric in map.Keys.Where(k => MetricCatalog.IsKnown(task, k)))
        {
            if (map.Number(metric, min: 0) is { } v)
            {
                result[metric] = v;
            }
        }

        return result;
    }
}
