using System.Text.Json.Serialization;

namespace Tollgate.Core.Stages;

/// <summary>How a stage ended. A rejected gate is a normal outcome, not an exception.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StageOutcome>))]
public enum StageOutcome
{
    /// <summary>Every error-severity check passed.</summary>
    Passed,

    /// <summary>At least one error-severity check failed: the pipeline stops with exit code 3.</summary>
    Rejected,

    /// <summary>The stage had nothing to do (e.g. no production model to compare with); the report says why.</summary>
    Skipped,
}
