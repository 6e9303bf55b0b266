namespace Tollgate.Core.Errors;

/// <summary>
/// The one table of process exit codes. Every verb of the <c>tollgate</c> CLI and every Cake task ends with one of these,
/// so a CI runner can tell a rejected model from a broken pipeline.
/// </summary>
public enum ExitCode
{
    /// <summary>The stage passed, or was skipped for a stated reason.</summary>
    Ok = 0,

    /// <summary>An unexpected error: a bug or an unforeseen condition. Run with <c>--verbosity diagnostic</c> for the stack trace.</summary>
    Unexpected = 1,

    /// <summary>Configuration or usage error: a bad model spec, contract, argument or missing input. Fix the named file or flag.</summary>
    Configuration = 2,

    /// <summary>A gate rejected the data or the model. This is a result, not a crash: the report says which gate and by how much.</summary>
    GateRejected = 3,

    /// <summary>Infrastructure unavailable: Docker engine, registry or MLflow server could not be reached.</summary>
    InfrastructureUnavailable = 4,
}
