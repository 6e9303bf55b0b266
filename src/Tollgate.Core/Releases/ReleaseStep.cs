using System.Text.Json.Serialization;

namespace Tollgate.Core.Releases;

/// <summary>
/// How far a promote or rollback got, recorded in <c>pending.json</c> before each step so the next run can finish or undo it.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReleaseStep>))]
public enum ReleaseStep
{
    /// <summary>Starting the target version beside production; production is untouched. Recovery: undo.</summary>
    Starting,

    /// <summary>The target is ready; the front door is being switched. Recovery: look at the front door, then finish or undo.</summary>
    Switching,

    /// <summary>The front door serves the target; the history, production.json and old version remain. Recovery: finish.</summary>
    Switched,
}
