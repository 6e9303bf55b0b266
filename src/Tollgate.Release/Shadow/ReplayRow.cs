using System.Text.Json.Nodes;

namespace Tollgate.Release.Shadow;

/// <summary>One request to replay: the row as a client sends it, and the true label when the source knows it.</summary>
public sealed record ReplayRow(JsonObject Row, bool? Truth);
