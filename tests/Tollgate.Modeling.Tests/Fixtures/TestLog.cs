using Tollgate.Core.Stages;

namespace Tollgate.Modeling.Tests.Fixtures;

/// <summary>Collects stage log lines so tests can show them on failure.</summary>
public sealed class TestLog : IStageLog
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public void Info(string message) => Add(message);

    public void Warning(string message) => Add("warning: " + message);

    public void Progress(string step, double fraction) => Add($"{step}: {fraction:P0}");

    private void Add(string line)
    {
        lock (lines)
        {
            lines.Add(line);
        }
    }
}
