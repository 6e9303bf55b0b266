using System.Text.Json.Serialization;

namespace Tollgate.Core.Stages;

/// <summary>The verdict of one check.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckStatus>))]
public enum CheckStatus
{
    Passed,
    Failed,
    Skipped,
}
