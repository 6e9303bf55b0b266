using System.Text.Json.Serialization;

namespace Tollgate.Core.Stages;

/// <summary>How much a failed check matters.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>A failure rejects the stage (exit code 3).</summary>
    Error,

    /// <summary>A failure is reported but does not reject the stage.</summary>
    Warning,

    /// <summary>Recorded for the reader; never fails.</summary>
    Info,
}
