using System.Text.Json.Nodes;

namespace Tollgate.Tracking.Tests.Fixtures;

/// <summary>A request the test server received, as sent on the wire.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? ContentType, string? Authorization, byte[] Body)
{
    public string Path => PathAndQuery.Split('?')[0];

    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public JsonObject Json => (JsonObject)JsonNode.Parse(Text)!;

    public string? Query(string name) =>
        PathAndQuery.Contains('?', StringComparison.Ordinal)
            ? PathAndQuery.Split('?', 2)[1].Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == name).Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault()
            : null;
}
