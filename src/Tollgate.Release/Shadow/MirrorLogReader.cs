using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Release.Deployment;

namespace Tollgate.Release.Shadow;

/// <summary>Reads the gateway's mirror log (JSON Lines) into exchanges for one shadow version.</summary>
public static class MirrorLogReader
{
    public static IReadOnlyList<Exchange> Read(string path, string shadowVersion, long fromOffset)
    {
        var list = new List<Exchange>();
        if (!File.Exists(path))
        {
            return list;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(fromOffset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            try
            {
                if (JsonNode.Parse(line) is not JsonObject o || (string?)o["shadowVersion"] != shadowVersion)
                {
                    continue;
                }

                var request = (string?)o["requestBody"] is { } body && JsonNode.Parse(body) is JsonObject r ? r : new JsonObject();
                list.Add(new Exchange(request, null, Side(o, "production"), Side(o, "shadow")));
            }
            catch (JsonException)
            {
                // Torn last line while the gateway writes: read it next time.
            }
        }

        return list;
    }

    private static SideResult Side(JsonObject o, string prefix)
    {
        var status = o[prefix + "Status"]?.GetValue<int?>();
        var prediction = (string?)o[prefix + "Body"] is { } body ? PredictionReader.Read(body) : null;
        return new SideResult(o[prefix + "Ms"]?.GetValue<double?>(), status, prediction?.Score, prediction?.Label, (string?)o[prefix + "Error"]);
    }
}
