using System.Text.Json.Nodes;
using Tollgate.Core.Releases;

namespace Tollgate.Release.Switching;

/// <summary>A promote or rollback to perform.</summary>
/// <param name="Kind"><see cref="ReleaseEvent.PromoteKind"/> or <see cref="ReleaseEvent.RollbackKind"/>.</param>
/// <param name="Target">The version to put in production (its release folder must exist).</param>
/// <param name="Reason">Recorded in the history.</param>
/// <param name="SmokeRows">Rows the target must answer before it gets traffic.</param>
public sealed record SwitchRequest(string Kind, ReleasedModel Target, string Reason, IReadOnlyList<JsonObject> SmokeRows);
