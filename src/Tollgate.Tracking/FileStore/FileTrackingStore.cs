using System.Globalization;
using System.Security.Cryptography;
using Tollgate.Core.IO;
using Tollgate.Tracking.Entities;

namespace Tollgate.Tracking.FileStore;

/// <summary>
/// MLflow's file-store layout, written directly: <c>&lt;root&gt;/&lt;experiment-id&gt;/meta.yaml</c>,
/// <c>&lt;experiment&gt;/&lt;run-id&gt;/{meta.yaml, params/, metrics/, tags/, artifacts/}</c>. Metric files hold lines
/// <c>&lt;timestamp_ms&gt; &lt;value&gt; &lt;step&gt;</c>; params and tags hold the raw value without a newline.
/// <c>mlflow ui --backend-store-uri ./mlruns</c> reads it (MLflow ≥ 3.6 warns that file stores are deprecated).
/// </summary>
public sealed class FileTrackingStore : ITrackingStore
{
    public const string DefaultExperimentId = "0";

    private readonly TimeProvider time;

    public FileTrackingStore(string root, TimeProvider? time = null)
    {
        Root = Path.GetFullPath(root);
        this.time = time ?? TimeProvider.System;
    }

    public string Root { get; }

    public string Location => Root;

    public Task<string> GetOrCreateExperimentAsync(string name, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        EnsureDefaultExperiment();
        var existing = FindExperiment(name);
        if (existing is not null)
        {
            return Task.FromResult(existing);
        }

        var id = NewExperimentId();
        var dir = Path.Combine(Root, id);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Directory.CreateDirectory(dir);
        foreach (var (key, value) in tags)
        {
            WriteValue(Path.Combine(dir, "tags", key), value);
        }

        AtomicFile.WriteAllText(Path.Combine(dir, "meta.yaml"), MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["artifact_location"] = dir,
            ["creation_time"] = now,
            ["experiment_id"] = id,
            ["last_update_time"] = now,
            ["lifecycle_stage"] = "active",
            ["name"] = name,
        }));
        return Task.FromResult(id);
    }

    public Task<IReadOnlyList<TrackedRun>> FindRunsByTagAsync(string experimentId, string tagKey, string tagValue, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(Root, experimentId);
        IReadOnlyList<TrackedRun> runs = !Directory.Exists(dir)
            ? []
            : Directory.GetDirectories(dir)
                .Where(d => File.Exists(Path.Combine(d, "meta.yaml")))
                .Where(d => File.Exists(Path.Combine(d, "tags", tagKey)) && File.ReadAllText(Path.Combine(d, "tags", tagKey)) == tagValue)
                .Select(d => ReadRun(d))
                .Where(r => r is not null)
                .Select(r => r!)
                .OrderBy(r => r.StartTimeMs)
                .ToList();
        return Task.FromResult(runs);
    }

    public Task<TrackedRun?> GetRunAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult(RunDir(runId) is { } dir ? ReadRun(dir) : null);

    public Task<TrackedRun> CreateRunAsync(string experimentId, string runName, long startTimeMs, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N");
        var dir = Path.Combine(Root, experimentId, runId);
        Directory.CreateDirectory(Path.Combine(dir, "artifacts"));
        Directory.CreateDirectory(Path.Combine(dir, "metrics"));
        Directory.CreateDirectory(Path.Combine(dir, "params"));
        Directory.CreateDirectory(Path.Combine(dir, "tags"));
        WriteRunMeta(dir, new Dictionary<string, object?>
        {
            ["artifact_uri"] = Path.Combine(dir, "artifacts"),
            ["end_time"] = null,
            ["entry_point_name"] = string.Empty,
            ["experiment_id"] = experimentId,
            ["lifecycle_stage"] = "active",
            ["run_id"] = runId,
            ["run_name"] = runName,
            ["source_name"] = string.Empty,
            ["source_type"] = 4,
            ["source_version"] = string.Empty,
            ["start_time"] = startTimeMs,
            ["status"] = (int)MlflowRunStatus.Running,
            ["tags"] = Array.Empty<string>(),
            ["user_id"] = Environment.UserName,
        });
        WriteValue(Path.Combine(dir, "tags", "mlflow.runName"), runName);
        foreach (var (key, value) in tags)
        {
            WriteValue(Path.Combine(dir, "tags", key), value);
        }

        return Task.FromResult(ReadRun(dir)!);
    }

    public Task LogBatchAsync(
        string runId,
        IReadOnlyList<MetricPoint> metrics,
        IReadOnlyDictionary<string, string> parameters,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken)
    {
        var dir = RequireRunDir(runId);

        // Check every param before writing any, so a conflict leaves the run as it was (MLflow's batch is atomic too).
        foreach (var (key, value) in parameters)
        {
            var path = Path.Combine(dir, "params", Validated(key));
            if (File.Exists(path) && File.ReadAllText(path) is var old && old != value)
            {
                throw new ParamConflictException(runId, key, old, value);
            }
        }

        foreach (var (key, value) in parameters)
        {
            WriteValue(Path.Combine(dir, "params", key), value);
        }

        foreach (var group in metrics.GroupBy(m => m.Key))
        {
            var path = Path.Combine(dir, "metrics", Validated(group.Key));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.AppendAllLines(path, group.Select(m =>
                $"{m.TimestampMs.ToString(CultureInfo.InvariantCulture)} {PythonFloat.Format(m.Value)} {m.Step.ToString(CultureInfo.InvariantCulture)}"));
        }

        foreach (var (key, value) in tags)
        {
            WriteValue(Path.Combine(dir, "tags", Validated(key)), value);
        }

        return Task.CompletedTask;
    }

    public Task UpdateRunAsync(string runId, MlflowRunStatus status, long endTimeMs, CancellationToken cancellationToken)
    {
        var dir = RequireRunDir(runId);
        var meta = MlflowYaml.Read(Path.Combine(dir, "meta.yaml"));
        var values = meta.ToDictionary(p => p.Key, p => p.Key switch
        {
            "status" => (int)status,
            "end_time" => endTimeMs,
            "start_time" or "source_type" => long.Parse((string)p.Value!, CultureInfo.InvariantCulture),
            "tags" => Array.Empty<string>(),
            _ => p.Value,
        });
        WriteRunMeta(dir, values);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MetricPoint>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken)
    {
        var path = Path.Combine(RequireRunDir(runId), "metrics", Validated(key));
        IReadOnlyList<MetricPoint> points = File.Exists(path) ? ReadMetricFile(key, path).ToList() : [];
        return Task.FromResult(points);
    }

    public Task LogArtifactAsync(TrackedRun run, string localPath, string artifactPath, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(Path.Combine(run.ArtifactUri, artifactPath));
        if (!target.StartsWith(Path.GetFullPath(run.ArtifactUri), StringComparison.Ordinal))
        {
            throw new ArgumentException($"artifact path '{artifactPath}' leaves the run's artifact folder", nameof(artifactPath));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(localPath, target, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListArtifactsAsync(TrackedRun run, string path, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(run.ArtifactUri, path);
        IReadOnlyList<string> entries = Directory.Exists(dir)
            ? Directory.EnumerateFileSystemEntries(dir)
                .Select(e => Path.GetRelativePath(run.ArtifactUri, e).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        return Task.FromResult(entries);
    }

    public string RunLink(TrackedRun run) => Path.Combine(Root, run.ExperimentId, run.RunId);

    /// <summary>The experiment id for <paramref name="name"/>, or null.</summary>
    public string? FindExperiment(string name)
    {
        if (!Directory.Exists(Root))
        {
            return null;
        }

        foreach (var dir in Directory.GetDirectories(Root))
        {
            var meta = Path.Combine(dir, "meta.yaml");
            if (File.Exists(meta) && MlflowYaml.Read(meta) is var values
                && values.TryGetValue("name", out var n) && (string?)n == name
                && !(values.TryGetValue("lifecycle_stage", out var stage) && (string?)stage == "deleted"))
            {
                return (string?)values["experiment_id"] ?? Path.GetFileName(dir);
            }
        }

        return null;
    }

    /// <summary>The folder of a run, searched across experiments, or null.</summary>
    public string? RunDir(string runId)
    {
        if (!Directory.Exists(Root) || runId.Length != 32 || !runId.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return Directory.GetDirectories(Root)
            .Select(d => Path.Combine(d, runId))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "meta.yaml")));
    }

    internal static IEnumerable<MetricPoint> ReadMetricFile(string key, string path) =>
        File.ReadLines(path)
            .Where(l => l.Length > 0)
            .Select(l => l.Split(' '))
            .Select(p => new MetricPoint(
                key,
                PythonFloat.Parse(p[1]),
                long.Parse(p[0], CultureInfo.InvariantCulture),
                p.Length > 2 ? long.Parse(p[2], CultureInfo.InvariantCulture) : 0));

    private static TrackedRun? ReadRun(string dir)
    {
        var metaPath = Path.Combine(dir, "meta.yaml");
        if (!File.Exists(metaPath))
        {
            return null;
        }

        var meta = MlflowYaml.Read(metaPath);
        var metricsDir = Path.Combine(dir, "metrics");
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (Directory.Exists(metricsDir))
        {
            foreach (var file in Directory.EnumerateFiles(metricsDir, "*", SearchOption.AllDirectories))
            {
                var key = Path.GetRelativePath(metricsDir, file).Replace('\\', '/');

                // MLflow's latest value: the highest step, then the latest timestamp.
                var latest = ReadMetricFile(key, file).OrderBy(m => m.Step).ThenBy(m => m.TimestampMs).LastOrDefault();
                if (latest is not null)
                {
                    metrics[key] = latest.Value;
                }
            }
        }

        return new TrackedRun
        {
            RunId = (string)meta["run_id"]!,
            ExperimentId = (string)meta["experiment_id"]!,
            RunName = meta.GetValueOrDefault("run_name") as string,
            Status = (MlflowRunStatus)int.Parse((string)meta["status"]!, CultureInfo.InvariantCulture),
            StartTimeMs = long.Parse((string)meta["start_time"]!, CultureInfo.InvariantCulture),
            EndTimeMs = meta.GetValueOrDefault("end_time") is string end ? long.Parse(end, CultureInfo.InvariantCulture) : null,
            ArtifactUri = (string)meta["artifact_uri"]!,
            Params = ReadValues(Path.Combine(dir, "params")),
            Metrics = metrics,
            Tags = ReadValues(Path.Combine(dir, "tags")),
        };
    }

    private static Dictionary<string, string> ReadValues(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    private static void WriteValue(string path, string value) => AtomicFile.WriteAllText(path, value);

    private static void WriteRunMeta(string dir, IReadOnlyDictionary<string, object?> values) =>
        AtomicFile.WriteAllText(Path.Combine(dir, "meta.yaml"), MlflowYaml.Write(values));

    /// <summary>MLflow's key rule: letters, digits, <c>_ - . / space</c>; no <c>..</c> or leading slash (keeps files inside the run).</summary>
    private static string Validated(string key)
    {
        if (key.Length == 0 || key.Length > 250 || key.StartsWith('/') || key.Contains("..", StringComparison.Ordinal)
            || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ' '))
        {
            throw new ArgumentException($"'{key}' is not a valid MLflow key (letters, digits, _ - . / and spaces, at most 250 characters).", nameof(key));
        }

        return key;
    }

    private static string NewExperimentId()
    {
        // Like MLflow's file store: a random positive integer id, not a counter, so parallel writers do not collide.
        var value = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) % 900_000_000_000_000_000UL + 100_000_000_000_000_000UL;
        return value.ToString(CultureInfo.InvariantCulture);
    }

    private string RequireRunDir(string runId) =>
        RunDir(runId) ?? throw new InvalidOperationException($"MLflow run {runId} not found in {Root}.");

    private void EnsureDefaultExperiment()
    {
        var dir = Path.Combine(Root, DefaultExperimentId);
        if (File.Exists(Path.Combine(dir, "meta.yaml")))
        {
            return;
        }

        // MLflow's own file store creates 'Default' on first use; the UI expects it.
        Directory.CreateDirectory(dir);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        AtomicFile.WriteAllText(Path.Combine(dir, "meta.yaml"), MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["artifact_location"] = dir,
            ["creation_time"] = now,
            ["experiment_id"] = DefaultExperimentId,
            ["last_update_time"] = now,
            ["lifecycle_stage"] = "active",
            ["name"] = "Default",
        }));
    }
}
