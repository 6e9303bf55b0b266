namespace Tollgate.Core.Errors;

/// <summary>
/// A service the stage needs (Docker engine, registry, MLflow server) could not be reached (exit code 4).
/// The message names the address tried and how to point Tollgate at a working one.
/// </summary>
public sealed class InfrastructureException : TollgateException
{
    public InfrastructureException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public override ExitCode ExitCode => ExitCode.InfrastructureUnavailable;
}
