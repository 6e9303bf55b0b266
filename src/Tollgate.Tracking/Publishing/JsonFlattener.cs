using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Tracking.Publishing;

/// <summary>
/// Turns nested JSON (candidate.json, threshold files) into MLflow params and metrics: numbers under a key ending in
/// <c>metrics</c> become metrics named after the group (<c>holdoutMetrics.auc</c> → <c>holdout.auc</c>), everything
/// else becomes a dotted param (lists of plain values joined with commas).
/// </summary>
public static class JsonFlattener
{
    public static void Flatten(JsonNode? node, string prefix, IDictionary<string, string> parameters, IDictionary<string, double> metrics) =>
        Walk(node, prefix, metricGroup: null, parameters, metrics);

    /// <summary>An MLflow-safe key: letters, digits and <c>_ - . / space</c>; anything else becomes <c>_</c>.</summary>
    public static string Key(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ' ' ? c : '_');
        }

        var key = sb.ToString().Trim('.', '/', ' ');
        while (key.Contains("..", StringComparison.Ordinal))
        {
            key = key.Replace("..", ".", StringComparison.Ordinal);
        }

        return key.Length > 250 ? key[..250] : key;
    }

    public static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void Walk(JsonNode? node, string path, string? metricGroup, IDictionary<string, string> parameters, IDictionary<string, double> metrics)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (name.EndsWith("metrics", StringComparison.OrdinalIgnoreCase))
                    {
                        var group = name[..^"metrics".Length].TrimEnd('_', '-', '.');
                        var nextGroup = metricGroup ?? (group.Length == 0 ? LastSegment(path) ?? "metrics" : group);
                        Walk(child, nextGroup, nextGroup, parameters, metrics);
                    }
                    else
                    {
                        Walk(child, Join(path, name), metricGroup, parameters, metrics);
                    }
                }

                break;
            case JsonArray array when array.All(i => i is JsonValue):
                if (metricGroup is null)
                {
                    parameters[Key(path)] = string.Join(",", array.Select(Scalar));
                }

                break;
            case JsonArray array:
                var index = 0;
                foreach (var item in array)
                {
                    var label = item is JsonObject o && (o["name"] ?? o["slice"] ?? o["id"]) is JsonValue n ? Scalar(n) : index.ToString(CultureInfo.InvariantCulture);
                    Walk(item, Join(path, label), metricGroup, parameters, metrics);
                    index++;
                }

                break;
            case JsonValue value:
                if (metricGroup is not null && TryNumber(value, out var number))
                {
                    metrics[Key(path)] = number;
                }
                else if (metricGroup is null)
                {
                    parameters[Key(path)] = Scalar(value);
                }

                break;
        }
    }

    private static string? LastSegment(string path) => path.Length == 0 ? null : path[(path.LastIndexOf('.') + 1)..];

    private static bool TryNumber(JsonValue value, out double number)
    {
        if (value.GetValueKind() == JsonValueKind.Number)
        {
            number = value.GetValue<double>();
            return true;
        }

        if (value.GetValueKind() == JsonValueKind.String)
        {
            var s = value.GetValue<string>();
            if (s is "NaN" or "Infinity" or "-Infinity")
            {
                number = s == "NaN" ? double.NaN : s == "Infinity" ? double.PositiveInfinity : double.NegativeInfinity;
                return true;
            }
        }

        number = 0;
        return false;
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Format(v.GetValue<double>()),
        _ => node.ToJsonString(),
    };
}
