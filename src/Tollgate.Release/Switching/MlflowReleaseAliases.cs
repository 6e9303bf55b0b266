using Tollgate.Core.Releases;
using Tollgate.Tracking;

namespace Tollgate.Release.Switching;

/// <summary>
/// Moves MLflow aliases on the registered model: the model version Log-MLflow registered for the release's run (tag
/// <c>tollgate.run_id</c>) gets <c>challenger</c> after Shadow-Deploy and <c>champion</c> after Promote or Rollback.
/// </summary>
public sealed class MlflowReleaseAliases : IReleaseAliases
{
    private const string RunIdTag = "tollgate.run_id";

    private readonly IModelRegistry registry;
    private readonly string registeredModel;

    public MlflowReleaseAliases(IModelRegistry registry, string registeredModel)
    {
        this.registry = registry;
        this.registeredModel = registeredModel;
    }

    public async Task<string> MoveAsync(string alias, ReleasedModel release, CancellationToken cancellationToken)
    {
        var versions = await registry.SearchVersionsAsync(registeredModel, cancellationToken);
        var version = versions.FirstOrDefault(v => v.Tags.TryGetValue(RunIdTag, out var run) && run == release.RunId);
        if (version is null)
        {
            return $"alias '{alias}' not moved: no version of MLflow model '{registeredModel}' carries {RunIdTag}={release.RunId} (was log-mlflow run for it?)";
        }

        await registry.SetAliasAsync(registeredModel, alias, version.Version, cancellationToken);
        return $"MLflow alias '{alias}' of '{registeredModel}' → version {version.Version} ({release.Version})";
    }
}
