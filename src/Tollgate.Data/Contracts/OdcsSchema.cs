using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Tollgate.Data.Contracts;

/// <summary>
/// The Open Data Contract Standard v3.1.0 JSON schema (Apache-2.0, bitol-io), embedded in this assembly. Every contract
/// is checked against it before Tollgate reads a single key, so a contract that passes here is valid ODCS anywhere.
/// </summary>
public static class OdcsSchema
{
    public const string ResourceName = "odcs-json-schema-v3.1.0.json";

    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = typeof(OdcsSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from Tollgate.Data");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    });

    /// <summary>
    /// Problems found, most specific first: (instance pointer, schema evaluation path, message). Empty when valid.
    /// </summary>
    public static IReadOnlyList<OdcsSchemaError> Validate(JsonNode? document)
    {
        using var doc = JsonDocument.Parse(document?.ToJsonString() ?? "null");
        var results = Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        if (results.IsValid)
        {
            return [];
        }

        // Walk only the failing branches: a oneOf that matched has failing alternatives underneath, which are noise.
        var errors = new List<OdcsSchemaError>();
        Collect(results, errors);
        if (errors.Count == 0)
        {
            errors.Add(new OdcsSchemaError("/", results.EvaluationPath.ToString(), "schema", "the document does not match the ODCS v3.1.0 schema"));
        }

        // The deepest instance location is the most specific one: "/schema/0/properties/3/logicalType" says more than "/".
        return errors
            .OrderByDescending(e => e.InstancePointer.Count(c => c == '/'))
            .ThenBy(e => e.Keyword is "oneOf" or "anyOf" or "allOf" or "if" or "then" ? 1 : 0)
            .DistinctBy(e => (e.InstancePointer, e.Message))
            .ToList();
    }

    private static void Collect(EvaluationResults node, List<OdcsSchemaError> errors)
    {
        foreach (var (keyword, message) in node.Errors ?? [])
        {
            errors.Add(new OdcsSchemaError(node.InstanceLocation.ToString(), node.EvaluationPath.ToString(), keyword, message));
        }

        foreach (var child in node.Details ?? [])
        {
            if (!child.IsValid)
            {
                Collect(child, errors);
            }
        }
    }
}
