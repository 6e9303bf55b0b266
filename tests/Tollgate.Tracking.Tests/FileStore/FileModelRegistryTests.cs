using Shouldly;
using Tollgate.Testing;
using Tollgate.Tracking.FileStore;

namespace Tollgate.Tracking.Tests.FileStore;

public sealed class FileModelRegistryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static string Example(params string[] parts) => TestRepo.Shared(["mlflow", "filestore-example-mlruns", .. parts]);

    [Fact]
    public async Task CreateVersionAndSetAlias_LikeTheExample_SameRegistryLayoutAndKeys()
    {
        using var dir = new TempDir();
        var registry = new FileModelRegistry(dir.Path);

        var version = await registry.CreateVersionAsync("fs-model", "runs:/72cf3a405dba4f0aa253fdda95ced02a/model", "72cf3a405dba4f0aa253fdda95ced02a", null, new Dictionary<string, string>(), None);
        await registry.SetAliasAsync("fs-model", "champion", version.Version, None);

        version.Version.ShouldBe("1");
        var ours = Path.Combine(dir.Path, "models", "fs-model");
        var theirs = Example("models", "fs-model");
        Directory.GetFileSystemEntries(ours).Select(Path.GetFileName).Order().ShouldBe(Directory.GetFileSystemEntries(theirs).Select(Path.GetFileName).Order());
        MlflowYaml.Read(Path.Combine(ours, "meta.yaml")).Keys.Order().ShouldBe(MlflowYaml.Read(Path.Combine(theirs, "meta.yaml")).Keys.Order());
        MlflowYaml.Read(Path.Combine(ours, "version-1", "meta.yaml")).Keys.Order().ShouldBe(MlflowYaml.Read(Path.Combine(theirs, "version-1", "meta.yaml")).Keys.Order());
        File.ReadAllBytes(Path.Combine(ours, "aliases", "champion")).ShouldBe(File.ReadAllBytes(Path.Combine(theirs, "aliases", "champion")));
        File.ReadAllText(Path.Combine(ours, "meta.yaml")).ShouldContain("aliases:\n  champion: '1'\n");
        File.ReadAllText(Path.Combine(ours, "version-1", "meta.yaml")).ShouldContain("\nversion: 1\n");
    }

    [Fact]
    public async Task GetByAliasAsync_ExampleWrittenByMlflow_FindsVersionAndRun()
    {
        var registry = new FileModelRegistry(Example());

        var champion = await registry.GetByAliasAsync("fs-model", "champion", None);
        var missing = await registry.GetByAliasAsync("fs-model", "nope", None);

        champion.ShouldNotBeNull();
        champion.Version.ShouldBe("1");
        champion.RunId.ShouldBe("72cf3a405dba4f0aa253fdda95ced02a");
        champion.Aliases.ShouldBe(["champion"]);
        missing.ShouldBeNull("an unknown alias is 'not set', not an error");
    }

    [Fact]
    public async Task SetAliasAsync_RollbackMovesChampionBack_AliasFollows()
    {
        using var dir = new TempDir();
        var registry = new FileModelRegistry(dir.Path);
        var v1 = await registry.CreateVersionAsync("m", "runs:/a/model", new string('a', 32), null, new Dictionary<string, string> { ["threshold"] = "0.4" }, None);
        var v2 = await registry.CreateVersionAsync("m", "runs:/b/model", new string('b', 32), null, new Dictionary<string, string>(), None);

        await registry.SetAliasAsync("m", "champion", v2.Version, None);
        await registry.SetAliasAsync("m", "challenger", v2.Version, None);
        await registry.SetAliasAsync("m", "champion", v1.Version, None);
        await registry.DeleteAliasAsync("m", "challenger", None);
        await registry.SetVersionTagAsync("m", v1.Version, "image_digest", "sha256:abc", None);

        var champion = await registry.GetByAliasAsync("m", "champion", None);
        champion!.Version.ShouldBe("1");
        champion.Tags["threshold"].ShouldBe("0.4");
        champion.Tags["image_digest"].ShouldBe("sha256:abc");
        (await registry.GetByAliasAsync("m", "challenger", None)).ShouldBeNull();
        File.ReadAllText(Path.Combine(dir.Path, "models", "m", "meta.yaml")).ShouldContain("aliases:\n  champion: '1'\n");
        (await registry.SearchVersionsAsync("m", None)).Select(v => v.Version).ShouldBe(["2", "1"]);
    }
}
