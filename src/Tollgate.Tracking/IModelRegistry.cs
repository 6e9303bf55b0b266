using Tollgate.Tracking.Entities;

namespace Tollgate.Tracking;

/// <summary>
/// MLflow's model registry: registered models, versions, tags and aliases. Log-MLflow creates one version per release
/// candidate; the release stages move the <c>challenger</c> and <c>champion</c> aliases (a rollback moves
/// <c>champion</c> back) through <see cref="SetAliasAsync"/>.
/// </summary>
public interface IModelRegistry
{
    /// <summary>Creates the registered model unless it exists (an existing one is not an error).</summary>
    Task EnsureRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken);

    Task<ModelVersionInfo> CreateVersionAsync(
        string name,
        string source,
        string runId,
        string? description,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken);

    /// <summary>The version, or null when the model or version does not exist.</summary>
    Task<ModelVersionInfo?> GetVersionAsync(string name, string version, CancellationToken cancellationToken);

    /// <summary>Every version of <paramref name="name"/> (empty when the model does not exist).</summary>
    Task<IReadOnlyList<ModelVersionInfo>> SearchVersionsAsync(string name, CancellationToken cancellationToken);

    Task SetVersionTagAsync(string name, string version, string key, string value, CancellationToken cancellationToken);

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/>, moving it if it pointed elsewhere.</summary>
    Task SetAliasAsync(string name, string alias, string version, CancellationToken cancellationToken);

    /// <summary>The version the alias points at, or null when the alias (or model) does not exist.</summary>
    Task<ModelVersionInfo?> GetByAliasAsync(string name, string alias, CancellationToken cancellationToken);

    /// <summary>Removes the alias; removing an absent alias is not an error.</summary>
    Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken);
}
