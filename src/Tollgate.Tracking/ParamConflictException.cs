namespace Tollgate.Tracking;

/// <summary>
/// A param was logged again with a different value. MLflow refuses that (HTTP 400 <c>INVALID_PARAMETER_VALUE</c>, and
/// the file store does the same); Tollgate answers by starting a new MLflow run that supersedes the old one.
/// </summary>
public sealed class ParamConflictException : Exception
{
    public ParamConflictException(string runId, string key, string oldValue, string newValue)
        : base($"MLflow run {runId}: param '{key}' is already '{oldValue}', refusing '{newValue}' (MLflow params are immutable).")
    {
        RunId = runId;
        Key = key;
        OldValue = oldValue;
        NewValue = newValue;
    }

    public string RunId { get; }

    public string Key { get; }

    public string OldValue { get; }

    public string NewValue { get; }
}
