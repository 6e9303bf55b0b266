namespace Tollgate.Core.Stages;

/// <summary>
/// Where a stage tells the person watching what it is doing. Long stages report progress so a CI log never goes quiet
/// for minutes. The CLI writes to the console; tests collect the lines.
/// </summary>
public interface IStageLog
{
    void Info(string message);

    void Warning(string message);

    /// <summary>Progress of a long step: <paramref name="fraction"/> from 0 to 1.</summary>
    void Progress(string step, double fraction);
}
