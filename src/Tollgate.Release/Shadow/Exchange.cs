using System.Text.Json.Nodes;

namespace Tollgate.Release.Shadow;

/// <summary>One request answered by the candidate and (when there is one) production.</summary>
public sealed record Exchange(JsonObject Request, bool? Truth, SideResult? Production, SideResult Candidate)
{
    /// <summary>Both answered with a label, and the labels differ.</summary>
    public bool Disagrees => Production?.Label is { } p && Candidate.Label is { } c && p != c;
}
