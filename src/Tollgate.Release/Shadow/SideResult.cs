namespace Tollgate.Release.Shadow;

/// <summary>One model's answer to one request.</summary>
/// <param name="Ms">Latency in milliseconds (null when no answer).</param>
/// <param name="Status">HTTP status, or null when the request failed outright.</param>
/// <param name="Score">Score, when the answer had one.</param>
/// <param name="Label">Label at the model's own threshold.</param>
/// <param name="Error">Transport error, if any.</param>
public sealed record SideResult(double? Ms, int? Status, double? Score, bool? Label, string? Error)
{
    /// <summary>Counts against the error rate: no answer, or a 5xx.</summary>
    public bool IsError => Status is null || Status >= 500;
}
