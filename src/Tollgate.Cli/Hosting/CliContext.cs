namespace Tollgate.Cli.Hosting;

/// <summary>What every verb shares: where the repository is, the clock, and how to talk to the user.</summary>
public sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, TimeProvider time)
    {
        Output = output;
        Error = error;
        Time = time;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public TimeProvider Time { get; }
}
