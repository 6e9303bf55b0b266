using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Release.Deployment;

/// <summary>Reads a <c>/v1/predict</c> answer for one row: <c>{"score": 0.31, "label": false, "version": "…"}</c>.</summary>
public static class PredictionReader
{
    /// <summary>Score and label, or null when the body has no numeric score.</summary>
    public static (double Score, bool? Label)? Read(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject o || o["score"] is not JsonValue s || !s.TryGetValue<double>(out var score))
            {
                return null;
            }

            bool? label = o["label"] is JsonValue l && l.TryGetValue<bool>(out var b) ? b : null;
            return (score, label);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
