namespace Tollgate.Core.Stages;

/// <summary>
/// One check of a stage: a data check or a gate. <see cref="Observed"/> and <see cref="Expected"/> are human-readable
/// so that a report reader sees "by how much" without opening code.
/// </summary>
/// <param name="Id">Stable identifier, e.g. <c>gate.auc.minimum</c> or <c>schema.column-present</c>.</param>
/// <param name="Severity">Whether a failure rejects the stage.</param>
/// <param name="Status">The verdict.</param>
/// <param name="Message">One sentence: what was checked, the value, and what to do when it failed.</param>
/// <param name="Column">The column or metric the check is about, when there is one.</param>
/// <param name="Observed">What was measured.</param>
/// <param name="Expected">What the configuration demands.</param>
public sealed record CheckResult(
    string Id,
    Severity Severity,
    CheckStatus Status,
    string Message,
    string? Column = null,
    string? Observed = null,
    string? Expected = null)
{
    /// <summary>True when this check alone rejects the stage.</summary>
    public bool IsBlocking => Status == CheckStatus.Failed && Severity == Severity.Error;
}
