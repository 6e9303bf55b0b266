using Tollgate.Core.Releases;

namespace Tollgate.Release.Switching;

/// <summary>No model registry configured: aliases are not moved, and the report says so.</summary>
public sealed class NoReleaseAliases : IReleaseAliases
{
    public static NoReleaseAliases Instance { get; } = new();

    public Task<string> MoveAsync(string alias, ReleasedModel release, CancellationToken cancellationToken) =>
        Task.FromResult($"alias '{alias}' not moved: no model registry configured (tracking section of model.yaml)");
}
