using Tollgate.Core.Specs;

namespace Tollgate.Modeling.Evaluation;

/// <summary>
/// One slice from model.yaml's <c>slices:</c> section: a column whose groups (values, or numeric bands) get their own
/// metrics, minimums per group and a maximum disparity across groups.
/// <code>
/// slices:
///   minimumRows: 30                      # smaller groups are reported, not gated
///   minimum: { recall: 0.30 }            # every group, every slice
///   maximumDisparity: { positiveRate: 0.5 }   # max − min across a slice's groups
///   by:
///     - column: marital
///     - column: age
///       bands: [30, 60]                  # &lt;30, 30–60, ≥60
///       minimum: { auc: 0.6 }            # overrides the shared minimum for this slice
/// </code>
/// </summary>
public sealed record SliceSpec(
    string Column,
    IReadOnlyList<double> Bands,
    IReadOnlyDictionary<string, double> Minimum,
    IReadOnlyDictionary<string, double> MaximumDisparity,
    int MinimumRows)
{
    /// <summary>Metrics a disparity may be computed on besides the task's metrics: the share predicted positive.</summary>
    public const string PositiveRate = "positiveRate";

    public string Name => Bands.Count == 0 ? Column : $"{Column} bands";

    public static IReadOnlyList<SliceSpec> FromSpec(ModelSpec spec, SpecErrors errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var section = spec.ReadSection("slices", errors);
        if (section is null)
        {
            return [];
        }

        section.RejectUnknownKeys("minimumRows", "minimum", "maximumDisparity", "by");
        var minRows = section.Integer("minimumRows", min: 1) ?? 30;
        var minimum = Metrics(section, "minimum", spec.Task, allowPositiveRate: false);
        var disparity = Metrics(section, "maximumDisparity", spec.Task, allowPositiveRate: true);
        var list = new List<SliceSpec>();
        var items = section.MapList("by");
        if (items.Count == 0)
        {
            section.Error("by", "list the columns to slice by, e.g. 'by: [{ column: marital }]'.");
        }

        foreach (var item in items)
        {
            item.RejectUnknownKeys("column", "bands", "minimum", "maximumDisparity");
            var column = item.String("column", required: true);
            var bands = new List<double>();
            foreach (var b in item.StringList("bands"))
            {
                if (double.TryParse(b, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v))
                {
                    bands.Add(v);
                }
                else
                {
                    item.Error("bands", $"'{b}' is not a number.");
                }
            }

            if (column is not null && spec.LabelColumn == column)
            {
                item.Error("column", "slicing by the label says nothing about fairness across groups; choose a feature or attribute column.");
            }

            if (bands.Count > 0 && column is not null && !spec.NumericFeatures.Contains(column))
            {
                item.Error("bands", $"bands need a numeric feature; '{column}' is not one of features.numeric.");
            }

            var ownMin = Metrics(item, "minimum", spec.Task, allowPositiveRate: false);
            var ownDisparity = Metrics(item, "maximumDisparity", spec.Task, allowPositiveRate: true);
            if (column is not null)
            {
                list.Add(new SliceSpec(
                    column,
                    [.. bands.Order()],
                    ownMin.Count > 0 ? ownMin : minimum,
                    ownDisparity.Count > 0 ? ownDisparity : disparity,
                    minRows));
            }
        }

        return list;
    }

    /// <summary>The group a row belongs to: its value, or its band (e.g. <c>30–60</c>).</summary>
    public string GroupOf(string text, float? numeric)
    {
        if (Bands.Count == 0 || numeric is null)
        {
            return text;
        }

        var v = numeric.Value;
        if (float.IsNaN(v))
        {
            return "missing";
        }

        var fmt = System.Globalization.CultureInfo.InvariantCulture;
        if (v < Bands[0])
        {
            return $"<{Bands[0].ToString(fmt)}";
        }

        for (var i = 1; i < Bands.Count; i++)
        {
            if (v < Bands[i])
            {
                return $"{Bands[i - 1].ToString(fmt)}–{Bands[i].ToString(fmt)}";
            }
        }

        return $"≥{Bands[^1].ToString(fmt)}";
    }

    private static Dictionary<string, double> Metrics(SpecNode node, string key, TaskKind task, bool allowPositiveRate)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var map = node.Map(key);
        if (map is null)
        {
            return result;
        }

        string[] known = allowPositiveRate && task == TaskKind.BinaryClassification
            ? [.. MetricCatalog.NamesFor(task), PositiveRate]
            : [.. MetricCatalog.NamesFor(task)];
        map.RejectUnknownKeys(known);
        foreach (var metric in map.Keys.Where(known.Contains))
        {
            if (map.Number(metric) is { } v)
            {
                result[metric] = v;
            }
        }

        return result;
    }
}
