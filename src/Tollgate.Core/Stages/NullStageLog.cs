namespace Tollgate.Core.Stages;

/// <summary>A log that drops everything, for callers that do not watch.</summary>
public sealed class NullStageLog : IStageLog
{
    public static NullStageLog Instance { get; } = new();

    public void Info(string message)
    {
    }

    public void Warning(string message)
    {
    }

    public void Progress(string step, double fraction)
    {
    }
}
