using System.Globalization;
using Tollgate.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tollgate.Serving.Contracts;

/// <summary>
/// The few keys of an ODCS v3.1 data contract the server validates requests with: per property its logicalType,
/// required, numeric range (logicalTypeOptions minimum/maximum) and categorical domain (quality <c>invalidValues</c>
/// with <c>validValues</c>). Read with YamlDotNet directly so the server does not depend on the data-validation project.
/// </summary>
public sealed class ServingContract
{
    private ServingContract(string path, IReadOnlyDictionary<string, ContractField> fields)
    {
        Path = path;
        Fields = fields;
    }

    /// <summary>Where the contract was read from.</summary>
    public string Path { get; }

    /// <summary>Every property of the contract's first schema object, by name.</summary>
    public IReadOnlyDictionary<string, ContractField> Fields { get; }

    public static ServingContract Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"{path}: data contract not found; pass --contract FILE or put contract.odcs.yaml in the candidate folder.");
        }

        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new ConfigurationException($"{path}:{ex.Start.Line}: not valid YAML: {ex.InnerException?.Message ?? ex.Message}");
        }

        if (yaml.Documents.Count == 0
            || yaml.Documents[0].RootNode is not YamlMappingNode root
            || Child(root, "schema") is not YamlSequenceNode { Children.Count: > 0 } schema
            || schema.Children[0] is not YamlMappingNode table
            || Child(table, "properties") is not YamlSequenceNode properties)
        {
            throw new ConfigurationException($"{path}: expected an ODCS contract with schema[0].properties; see data-contracts/bank-marketing.odcs.yaml.");
        }

        var fields = new Dictionary<string, ContractField>(StringComparer.Ordinal);
        foreach (var property in properties.Children.OfType<YamlMappingNode>())
        {
            var name = Scalar(property, "name");
            if (name is null)
            {
                throw new ConfigurationException($"{path}:{property.Start.Line}: a schema property has no name.");
            }

            var options = Child(property, "logicalTypeOptions") as YamlMappingNode;
            fields[name] = new ContractField(
                name,
                Scalar(property, "logicalType") ?? "string",
                string.Equals(Scalar(property, "required"), "true", StringComparison.OrdinalIgnoreCase),
                ValidValues(property),
                Number(options, "minimum"),
                Number(options, "maximum"));
        }

        return new ServingContract(path, fields);
    }

    private static HashSet<string>? ValidValues(YamlMappingNode property)
    {
        if (Child(property, "quality") is not YamlSequenceNode rules)
        {
            return null;
        }

        foreach (var rule in rules.Children.OfType<YamlMappingNode>())
        {
            if (Scalar(rule, "metric") == "invalidValues"
                && Child(rule, "arguments") is YamlMappingNode args
                && Child(args, "validValues") is YamlSequenceNode values)
            {
                return values.Children.OfType<YamlScalarNode>().Select(v => v.Value ?? string.Empty).ToHashSet(StringComparer.Ordinal);
            }
        }

        return null;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static double? Number(YamlMappingNode? node, string key) =>
        node is not null && Scalar(node, key) is { } text
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
