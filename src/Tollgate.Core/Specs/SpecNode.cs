using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Tollgate.Core.Specs;

/// <summary>
/// A YAML mapping read with every problem collected, not thrown: each error names the file, line and key path and
/// says what to do. Stages that own a section of model.yaml (compare, thresholds, tracking, release…) read it with this.
/// </summary>
public sealed class SpecNode
{
    private readonly YamlMappingNode node;
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    public SpecNode(string file, string path, YamlMappingNode node, SpecErrors errors)
    {
        File = file;
        Path = path;
        this.node = node;
        Errors = errors;
    }

    public string File { get; }

    /// <summary>Dotted key path of this mapping, empty at the root.</summary>
    public string Path { get; }

    public SpecErrors Errors { get; }

    public IEnumerable<string> Keys => node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty);

    public bool Has(string key) => Find(key) is not null;

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public void Error(string key, string message) => Errors.Add(File, LineOf(key), KeyPath(key), message);

    public string? String(string key, bool required = false, IReadOnlyCollection<string>? oneOf = null)
    {
        var value = Scalar(key, required);
        if (value is not null && oneOf is not null && !oneOf.Contains(value))
        {
            Error(key, $"'{value}' is not allowed; use one of: {string.Join(", ", oneOf)}.");
            return null;
        }

        return value;
    }

    public double? Number(string key, bool required = false, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var text = Scalar(key, required);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Error(key, $"expected a number, found '{text}'.");
            return null;
        }

        if (value < min || value > max)
        {
            Error(key, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range; expected {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }

        return value;
    }

    public int? Integer(string key, bool required = false, int min = int.MinValue, int max = int.MaxValue)
    {
        var number = Number(key, required, min, max);
        if (number is null)
        {
            return null;
        }

        if (number.Value != Math.Floor(number.Value))
        {
            Error(key, $"expected a whole number, found {number.Value.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }

        return (int)number.Value;
    }

    public bool? Boolean(string key, bool required = false)
    {
        var text = Scalar(key, required);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(key, $"expected true or false, found '{text}'.");
        return null;
    }

    public IReadOnlyList<string> StringList(string key, bool required = false)
    {
        var child = Find(key);
        if (child is null)
        {
            if (required)
            {
                Errors.Add(File, LineOfNode(node), KeyPath(key), "required list is missing.");
            }

            return [];
        }

        if (child is not YamlSequenceNode seq)
        {
            Error(key, "expected a list (e.g. [a, b]).");
            return [];
        }

        var list = new List<string>();
        foreach (var item in seq)
        {
            if (item is YamlScalarNode { Value: { } v })
            {
                list.Add(v);
            }
            else
            {
                Errors.Add(File, LineOfNode(item), KeyPath(key), "list items must be plain values.");
            }
        }

        return list;
    }

    public SpecNode? Map(string key, bool required = false)
    {
        var child = Find(key);
        if (child is null)
        {
            if (required)
            {
                Errors.Add(File, LineOfNode(node), KeyPath(key), "required section is missing.");
            }

            return null;
        }

        if (child is not YamlMappingNode map)
        {
            Error(key, "expected a mapping of keys to values.");
            return null;
        }

        return new SpecNode(File, KeyPath(key), map, Errors);
    }

    /// <summary>The children of a mapping whose keys are free-form (e.g. hyperparameters, metric names).</summary>
    public IReadOnlyDictionary<string, string> ScalarMap(string key)
    {
        var map = Map(key);
        if (map is null)
        {
            return new Dictionary<string, string>();
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var k in map.Keys)
        {
            if (map.Scalar(k, required: false) is { } v)
            {
                result[k] = v;
            }
        }

        return result;
    }

    /// <summary>A list of mappings, e.g. <c>slices:</c>.</summary>
    public IReadOnlyList<SpecNode> MapList(string key)
    {
        var child = Find(key);
        if (child is null)
        {
            return [];
        }

        if (child is not YamlSequenceNode seq)
        {
            Error(key, "expected a list of mappings.");
            return [];
        }

        var list = new List<SpecNode>();
        var i = 0;
        foreach (var item in seq)
        {
            if (item is YamlMappingNode m)
            {
                list.Add(new SpecNode(File, $"{KeyPath(key)}[{i}]", m, Errors));
            }
            else
            {
                Errors.Add(File, LineOfNode(item), $"{KeyPath(key)}[{i}]", "expected a mapping.");
            }

            i++;
        }

        return list;
    }

    /// <summary>Reports every key of this mapping not in <paramref name="known"/>, with the closest known key as a hint.</summary>
    public void RejectUnknownKeys(params string[] known)
    {
        foreach (var key in Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)))
        {
            var hint = Closest(key, known);
            Error(key, hint is null
                ? $"unknown key; allowed here: {string.Join(", ", known)}."
                : $"unknown key; did you mean '{hint}'?");
        }
    }

    private string? Scalar(string key, bool required)
    {
        var child = Find(key);
        if (child is null)
        {
            if (required)
            {
                Errors.Add(File, LineOfNode(node), KeyPath(key), "required key is missing.");
            }

            return null;
        }

        if (child is not YamlScalarNode scalar)
        {
            Error(key, "expected a single value.");
            return null;
        }

        if (string.IsNullOrWhiteSpace(scalar.Value) || scalar.Value == "~" || scalar.Value == "null")
        {
            if (required)
            {
                Error(key, "must not be empty.");
            }

            return null;
        }

        return scalar.Value;
    }

    private YamlNode? Find(string key)
    {
        read.Add(key);
        return node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
    }

    private int LineOf(string key)
    {
        var k = node.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(s => s.Value == key);
        return k is null ? LineOfNode(node) : LineOfNode(k);
    }

    private static int LineOfNode(YamlNode n) => (int)n.Start.Line;

    private static string? Closest(string key, string[] known)
    {
        var best = known
            .Select(k => (k, d: Levenshtein(key.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(p => p.d)
            .FirstOrDefault();
        return best.k is not null && best.d <= Math.Max(2, key.Length / 3) ? best.k : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }
}
