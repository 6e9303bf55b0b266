using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tollgate.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tollgate.Data.Contracts;

/// <summary>
/// Turns a YAML document into JSON (YAML 1.2 core-schema scalar typing: plain <c>true</c>, <c>12</c>, <c>1.5</c>,
/// <c>null</c> are typed, quoted scalars stay strings) and remembers the YAML line of every JSON pointer, so a schema
/// error names the line a person edits.
/// </summary>
public static partial class YamlJson
{
    /// <summary>The JSON form of <paramref name="yamlText"/> plus a map from JSON pointer to 1-based YAML line.</summary>
    public static (JsonNode? Json, IReadOnlyDictionary<string, int> Lines) Convert(string yamlText, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException ex)
        {
            throw new ConfigurationException(
                $"{source}:{ex.Start.Line}: not valid YAML ({ex.Message}). Fix the indentation or quoting on that line.");
        }

        if (stream.Documents.Count == 0)
        {
            throw new ConfigurationException($"{source}: the file is empty; a data contract needs at least apiVersion, kind, id, version, status.");
        }

        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        return (ToJson(stream.Documents[0].RootNode, string.Empty, lines), lines);
    }

    private static JsonNode? ToJson(YamlNode node, string pointer, Dictionary<string, int> lines)
    {
        lines[pointer.Length == 0 ? "/" : pointer] = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? key.ToString();
                    obj[name] = ToJson(value, pointer + "/" + Escape(name), lines);
                }

                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                var i = 0;
                foreach (var item in seq.Children)
                {
                    arr.Add(ToJson(item, pointer + "/" + i.ToString(CultureInfo.InvariantCulture), lines));
                    i++;
                }

                return arr;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(text);
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
