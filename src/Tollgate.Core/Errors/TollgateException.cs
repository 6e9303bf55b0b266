namespace Tollgate.Core.Errors;

/// <summary>
/// An expected failure that means "the stage could not run". The CLI prints <see cref="Exception.Message"/> without a
/// stack trace and exits with <see cref="ExitCode"/>. A failed gate is not an exception: it is a rejected result.
/// </summary>
public abstract class TollgateException : Exception
{
    protected TollgateException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>The process exit code this failure maps to.</summary>
    public abstract ExitCode ExitCode { get; }
}
