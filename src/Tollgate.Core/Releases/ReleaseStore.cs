using Tollgate.Core.IO;

namespace Tollgate.Core.Releases;

/// <summary>
/// The local release store: <c>&lt;root&gt;/&lt;model&gt;/production.json</c> names the model version in production.
/// <value>Root defaults to <c>artifacts/releases</c>, or <c>TOLLGATE_RELEASE_STORE</c> when set.</value>
/// Compare-Previous reads it; the release stages write it.
/// </summary>
public sealed class ReleaseStore
{
    public const string ProductionFileName = "production.json";

    public ReleaseStore(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>The store configured for a repository: TOLLGATE_RELEASE_STORE, else artifacts/releases.</summary>
    public static ReleaseStore ForRepository(string repoRoot) =>
        new(Environment.GetEnvironmentVariable("TOLLGATE_RELEASE_STORE") is { Length: > 0 } env
            ? Path.GetFullPath(env, repoRoot)
            : Path.Combine(repoRoot, "artifacts", "releases"));

    public string ModelRoot(string model) => Path.Combine(Root, model);

    /// <summary>The model in production, or null on the first release.</summary>
    public ReleasedModel? TryGetProduction(string model)
    {
        var path = Path.Combine(ModelRoot(model), ProductionFileName);
        return File.Exists(path) ? TollgateJson.ReadFile<ReleasedModel>(path) : null;
    }

    /// <summary>Atomically records <paramref name="release"/> as production.</summary>
    public void SetProduction(ReleasedModel release) =>
        TollgateJson.WriteFile(Path.Combine(ModelRoot(release.Model), ProductionFileName), release);
}
