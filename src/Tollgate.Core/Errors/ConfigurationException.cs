namespace Tollgate.Core.Errors;

/// <summary>
/// Configuration or usage is wrong (exit code 2). Carries every problem found, so a user fixes them all in one go
/// instead of one per run.
/// </summary>
public sealed class ConfigurationException : TollgateException
{
    public ConfigurationException(string message)
        : this([message])
    {
    }

    public ConfigurationException(IReadOnlyList<string> errors, Exception? inner = null)
        : base(Format(errors), inner)
    {
        Errors = errors;
    }

    /// <summary>Each problem as one line: where, what, and what to do.</summary>
    public IReadOnlyList<string> Errors { get; }

    public override ExitCode ExitCode => ExitCode.Configuration;

    private static string Format(IReadOnlyList<string> errors) =>
        errors.Count == 1
            ? errors[0]
            : $"{errors.Count} configuration errors:{Environment.NewLine}" +
              string.Join(Environment.NewLine, errors.Select(e => "  - " + e));
}
