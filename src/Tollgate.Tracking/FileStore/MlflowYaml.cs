using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Tollgate.Tracking.FileStore;

/// <summary>
/// Reads and writes the flat <c>meta.yaml</c> files of MLflow's file store the way MLflow's Python client writes them
/// (PyYAML <c>safe_dump</c>: keys sorted, strings that would read as another type single-quoted, <c>null</c>, <c>[]</c>).
/// </summary>
public static partial class MlflowYaml
{
    /// <summary>Writes <paramref name="values"/> (string, long, int, null, empty list, or a string→string map) sorted by key.</summary>
    public static string Write(IReadOnlyDictionary<string, object?> values)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sb.Append(key).Append(':');
            switch (value)
            {
                case null:
                    sb.Append(" null\n");
                    break;
                case string s:
                    sb.Append(' ').Append(Scalar(s)).Append('\n');
                    break;
                case long or int:
                    sb.Append(' ').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
                    break;
                case IReadOnlyDictionary<string, string> map when map.Count == 0:
                    sb.Append(" {}\n");
                    break;
                case IReadOnlyDictionary<string, string> map:
                    sb.Append('\n');
                    foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        sb.Append("  ").Append(Scalar(k)).Append(": ").Append(Scalar(v)).Append('\n');
                    }

                    break;
                case System.Collections.IEnumerable list when !list.Cast<object>().Any():
                    sb.Append(" []\n");
                    break;
                default:
                    throw new ArgumentException($"unsupported meta.yaml value for '{key}': {value.GetType().Name}", nameof(values));
            }
        }

        return sb.ToString();
    }

    /// <summary>Reads a flat meta.yaml: scalars as strings (null for <c>null</c>), nested maps as string maps.</summary>
    public static Dictionary<string, object?> Read(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            return result;
        }

        foreach (var (k, v) in root.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? string.Empty;
            result[key] = v switch
            {
                YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "null" or "~" } => null,
                YamlScalarNode s => s.Value,
                YamlMappingNode m => m.Children.ToDictionary(
                    p => ((YamlScalarNode)p.Key).Value ?? string.Empty,
                    p => ((YamlScalarNode)p.Value).Value ?? string.Empty,
                    StringComparer.Ordinal),
                _ => null,
            };
        }

        return result;
    }

    /// <summary>A string scalar: plain when it reads back as the same string, else single-quoted like PyYAML.</summary>
    public static string Scalar(string value)
    {
        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\t', StringComparison.Ordinal))
        {
            return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
        }

        return NeedsQuotes(value) ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'" : value;
    }

    private static bool NeedsQuotes(string value) =>
        value.Length == 0
        || value != value.Trim()
        || ImplicitTyped().IsMatch(value)
        || "-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal)
        || value.Contains(": ", StringComparison.Ordinal)
        || value.Contains(" #", StringComparison.Ordinal)
        || value.EndsWith(':');

    // Strings YAML 1.1 would resolve to null, bool, int or float.
    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9]+([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|\d{4}-\d\d?-\d\d?.*)$")]
    private static partial Regex ImplicitTyped();
}
