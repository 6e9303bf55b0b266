using System.Globalization;
using Tollgate.Core.IO;
using Tollgate.Tracking.Entities;

namespace Tollgate.Tracking.FileStore;

/// <summary>
/// MLflow's file-store model registry under <c>&lt;root&gt;/models/&lt;name&gt;/</c>: <c>meta.yaml</c> (with the alias map),
/// <c>aliases/&lt;alias&gt;</c> holding the version number, <c>tags/</c>, and <c>version-&lt;n&gt;/meta.yaml</c> with its
/// <c>tags/</c>. A lock file serialises writers, so two pipelines cannot both create version 3.
/// </summary>
public sealed class FileModelRegistry : IModelRegistry
{
    private readonly TimeProvider time;

    public FileModelRegistry(string root, TimeProvider? time = null)
    {
        ModelsRoot = Path.Combine(Path.GetFullPath(root), "models");
        this.time = time ?? TimeProvider.System;
    }

    public string ModelsRoot { get; }

    public Task EnsureRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken)
    {
        using var _ = Lock(name);
        var dir = ModelDir(name);
        if (!File.Exists(Path.Combine(dir, "meta.yaml")))
        {
            var now = Now;
            WriteModelMeta(name, new Dictionary<string, object?>
            {
                ["aliases"] = new Dictionary<string, string>(),
                ["creation_timestamp"] = now,
                ["deployment_job_id"] = null,
                ["deployment_job_state"] = null,
                ["description"] = description,
                ["last_updated_timestamp"] = now,
                ["name"] = name,
            });
        }

        return Task.CompletedTask;
    }

    public async Task<ModelVersionInfo> CreateVersionAsync(
        string name,
        string source,
        string runId,
        string? description,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken)
    {
        await EnsureRegisteredModelAsync(name, null, cancellationToken);
        using var _ = Lock(name);
        var version = VersionNumbers(name).DefaultIfEmpty(0).Max() + 1;
        var dir = Path.Combine(ModelDir(name), $"version-{version.ToString(CultureInfo.InvariantCulture)}");
        var now = Now;
        foreach (var (key, value) in tags)
        {
            AtomicFile.WriteAllText(Path.Combine(dir, "tags", key), value);
        }

        AtomicFile.WriteAllText(Path.Combine(dir, "meta.yaml"), MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["creation_timestamp"] = now,
            ["current_stage"] = "None",
            ["deployment_job_state"] = null,
            ["description"] = description,
            ["last_updated_timestamp"] = now,
            ["model_id"] = null,
            ["name"] = name,
            ["run_id"] = runId,
            ["run_link"] = null,
            ["source"] = source,
            ["status"] = "READY",
            ["status_message"] = null,
            ["storage_location"] = source,
            ["user_id"] = null,
            ["version"] = version,
        }));
        TouchModel(name, now, aliases: null);
        return ReadVersion(name, version)!;
    }

    public Task<ModelVersionInfo?> GetVersionAsync(string name, string version, CancellationToken cancellationToken) =>
        Task.FromResult(int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? ReadVersion(name, v) : null);

    public Task<IReadOnlyList<ModelVersionInfo>> SearchVersionsAsync(string name, CancellationToken cancellationToken)
    {
        IReadOnlyList<ModelVersionInfo> versions = VersionNumbers(name).OrderDescending().Select(v => ReadVersion(name, v)!).ToList();
        return Task.FromResult(versions);
    }

    public Task SetVersionTagAsync(string name, string version, string key, string value, CancellationToken cancellationToken)
    {
        var dir = RequireVersionDir(name, version);
        AtomicFile.WriteAllText(Path.Combine(dir, "tags", key), value);
        return Task.CompletedTask;
    }

    public Task SetAliasAsync(string name, string alias, string version, CancellationToken cancellationToken)
    {
        RequireVersionDir(name, version);
        using var _ = Lock(name);
        AtomicFile.WriteAllText(Path.Combine(ModelDir(name), "aliases", alias), version);
        var aliases = ReadAliases(name);
        aliases[alias] = version;
        TouchModel(name, Now, aliases);
        return Task.CompletedTask;
    }

    public Task<ModelVersionInfo?> GetByAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        var path = Path.Combine(ModelDir(name), "aliases", alias);
        return Task.FromResult(File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out var v)
            ? ReadVersion(name, v)
            : null);
    }

    public Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        using var _ = Lock(name);
        File.Delete(Path.Combine(ModelDir(name), "aliases", alias));
        if (File.Exists(Path.Combine(ModelDir(name), "meta.yaml")))
        {
            var aliases = ReadAliases(name);
            aliases.Remove(alias);
            TouchModel(name, Now, aliases);
        }

        return Task.CompletedTask;
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private string ModelDir(string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid registered model name.", nameof(name));
        }

        return Path.Combine(ModelsRoot, name);
    }

    private IEnumerable<int> VersionNumbers(string name) =>
        Directory.Exists(ModelDir(name))
            ? Directory.GetDirectories(ModelDir(name), "version-*")
                .Select(d => Path.GetFileName(d)["version-".Length..])
                .Select(s => int.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Where(v => v > 0)
            : [];

    private string RequireVersionDir(string name, string version)
    {
        var dir = Path.Combine(ModelDir(name), $"version-{version}");
        return File.Exists(Path.Combine(dir, "meta.yaml"))
            ? dir
            : throw new InvalidOperationException($"registered model '{name}' has no version {version} in {ModelsRoot}.");
    }

    private ModelVersionInfo? ReadVersion(string name, int version)
    {
        var dir = Path.Combine(ModelDir(name), $"version-{version.ToString(CultureInfo.InvariantCulture)}");
        var metaPath = Path.Combine(dir, "meta.yaml");
        if (!File.Exists(metaPath))
        {
            return null;
        }

        var meta = MlflowYaml.Read(metaPath);
        var tagsDir = Path.Combine(dir, "tags");
        var tags = Directory.Exists(tagsDir)
            ? Directory.GetFiles(tagsDir).Where(f => !Path.GetFileName(f).StartsWith('.')).ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var versionText = version.ToString(CultureInfo.InvariantCulture);
        var aliases = ReadAliases(name).Where(p => p.Value == versionText).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        return new ModelVersionInfo(
            name,
            versionText,
            meta.GetValueOrDefault("run_id") as string,
            meta.GetValueOrDefault("source") as string ?? string.Empty,
            meta.GetValueOrDefault("description") as string,
            tags,
            aliases);
    }

    private Dictionary<string, string> ReadAliases(string name)
    {
        var dir = Path.Combine(ModelDir(name), "aliases");
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir).Where(f => !Path.GetFileName(f).StartsWith('.')).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f).Trim(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
    }

    private void TouchModel(string name, long now, Dictionary<string, string>? aliases)
    {
        var meta = MlflowYaml.Read(Path.Combine(ModelDir(name), "meta.yaml"));
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in meta)
        {
            values[key] = key switch
            {
                "creation_timestamp" => long.Parse((string)value!, CultureInfo.InvariantCulture),
                "last_updated_timestamp" => now,
                "aliases" => aliases ?? value as IReadOnlyDictionary<string, string> ?? new Dictionary<string, string>(),
                _ => value,
            };
        }

        WriteModelMeta(name, values);
    }

    private void WriteModelMeta(string name, IReadOnlyDictionary<string, object?> values) =>
        AtomicFile.WriteAllText(Path.Combine(ModelDir(name), "meta.yaml"), MlflowYaml.Write(values));

    private FileStream Lock(string name)
    {
        Directory.CreateDirectory(ModelsRoot);
        var path = Path.Combine(ModelsRoot, $".{name}.lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(25);
            }
        }
    }
}
