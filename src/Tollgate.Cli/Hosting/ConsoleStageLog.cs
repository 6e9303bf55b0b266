using Tollgate.Core.Stages;

namespace Tollgate.Cli.Hosting;

/// <summary>
/// Writes stage progress as plain, timestamped lines: readable in a terminal and in a CI log alike (no cursor tricks
/// that turn into noise when output is not a terminal). Progress is printed at most every 10%.
/// </summary>
public sealed class ConsoleStageLog : IStageLog
{
    private readonly TextWriter output;
    private readonly string stage;
    private readonly Dictionary<string, int> lastDecile = new(StringComparer.Ordinal);

    public ConsoleStageLog(TextWriter output, string stage)
    {
        this.output = output;
        this.stage = stage;
    }

    public void Info(string message) => output.WriteLine($"[{stage}] {message}");

    public void Warning(string message) => output.WriteLine($"[{stage}] warning: {message}");

    public void Progress(string step, double fraction)
    {
        var decile = (int)Math.Floor(Math.Clamp(fraction, 0, 1) * 10);
        lock (lastDecile)
        {
            if (lastDecile.TryGetValue(step, out var last) && last >= decile)
            {
                return;
            }

            lastDecile[step] = decile;
        }

        output.WriteLine($"[{stage}] {step}: {decile * 10}%");
    }
}
