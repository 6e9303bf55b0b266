using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using YamlDotNet.RepresentationModel;

namespace Tollgate.Tracking.Publishing;

/// <summary>
/// Reads a run directory generically — run.json, every <c>&lt;stage&gt;/report.json</c>, <c>candidate/*.json</c>, the model
/// spec and the data contract — and decides what MLflow gets: every setting that shaped the model as params, every
/// stage's figures as metrics, outcomes and provenance as tags, the evidence as artifacts.
/// </summary>
public sealed class RunPayloadBuilder
{
    /// <summary>Data files are logged one param pair each up to this many; above it, a digest over all and a CSV artifact.</summary>
    public const int MaxPerFileParams = 20;

    /// <summary>MLflow's longest param value (MAX_PARAM_VAL_LENGTH); longer values are cut, with the full text in artifacts.</summary>
    public const int MaxParamValueLength = 6000;

    /// <summary>Files larger than this are not uploaded (named in a warning instead). <value>512 MiB.</value></summary>
    public const long MaxArtifactBytes = 512L << 20;

    private readonly string repoRoot;
    private readonly ModelSpec spec;
    private readonly RunDirectory run;
    private readonly IStageLog log;

    public RunPayloadBuilder(string repoRoot, ModelSpec spec, RunDirectory run, IStageLog log)
    {
        this.repoRoot = Path.GetFullPath(repoRoot);
        this.spec = spec;
        this.run = run;
        this.log = log;
    }

    public RunPayload Build(DateTimeOffset now)
    {
        var manifest = run.Manifest;
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var artifacts = new List<ArtifactFile>();
        var gates = new List<GateVerdict>();

        AddSpec(parameters);
        AddManifest(manifest, parameters, tags, artifacts);
        AddContract(parameters, artifacts);
        var rejected = AddStageReports(metrics, tags, artifacts, gates, parameters);
        var threshold = AddCandidate(parameters, metrics, artifacts);
        AddGains(metrics);

        tags["tollgate.model"] = spec.Name;
        tags["tollgate.run_id"] = manifest.RunId;
        tags["tollgate.run_dir"] = run.Root;
        tags["mlflow.source.name"] = "tollgate";
        tags["mlflow.source.type"] = manifest.Ci.Count > 0 ? "JOB" : "LOCAL";
        tags["mlflow.user"] = Environment.GetEnvironmentVariable("GITLAB_USER_LOGIN") is { Length: > 0 } u ? u : Environment.UserName;
        tags["mlflow.note.content"] = Note(manifest, tags);

        foreach (var key in parameters.Keys.ToList())
        {
            if (parameters[key].Length > MaxParamValueLength)
            {
                parameters[key] = parameters[key][..(MaxParamValueLength - 1)] + "…";
            }
        }

        return new RunPayload
        {
            Model = spec.Name,
            TollgateRunId = manifest.RunId,
            RunDirectory = run.Root,
            StartTimeMs = manifest.StartedAt.ToUnixTimeMilliseconds(),
            LoggedAtMs = now.ToUnixTimeMilliseconds(),
            AnyStageRejected = rejected,
            Params = parameters,
            Metrics = metrics,
            Tags = tags,
            Artifacts = artifacts,
            CandidateDirectory = File.Exists(Path.Combine(run.CandidateDir, "model.zip")) ? run.CandidateDir : null,
            Threshold = threshold,
            Gates = gates,
        };
    }

    /// <summary>Every key of model.yaml as <c>spec.&lt;path&gt;</c>, plus the headline settings under short names.</summary>
    private void AddSpec(IDictionary<string, string> parameters)
    {
        FlattenYaml(spec.Raw, "spec", parameters);
        parameters["model"] = spec.Name;
        parameters["task"] = spec.Task == TaskKind.Regression ? "regression" : "binary-classification";
        parameters["trainer"] = spec.Trainer.Name;
        foreach (var (name, value) in spec.Trainer.Hyperparameters)
        {
            parameters[$"trainer.{JsonFlattener.Key(name)}"] = JsonFlattener.Format(value);
        }

        parameters["seed"] = spec.Seed.ToString(CultureInfo.InvariantCulture);
        parameters["features"] = string.Join(",", spec.AllFeatures);
        parameters["features.count"] = spec.AllFeatures.Count().ToString(CultureInfo.InvariantCulture);
        parameters["excluded"] = string.Join(",", spec.ExcludedColumns.Keys.Order(StringComparer.Ordinal));
        parameters["holdout"] = spec.Holdout.ToString();
        parameters["baseline"] = spec.Baseline;
        parameters["label"] = spec.LabelColumn;
        parameters["spec.sha256"] = spec.SpecSha256;
        parameters["spec.path"] = spec.SpecPath;
    }

    private void AddManifest(RunManifest manifest, IDictionary<string, string> parameters, IDictionary<string, string> tags, List<ArtifactFile> artifacts)
    {
        parameters["git.commit"] = manifest.GitCommit;
        if (manifest.GitBranch is { } branch)
        {
            parameters["git.branch"] = branch;
            tags["mlflow.source.git.branch"] = branch;
        }

        tags["mlflow.source.git.commit"] = manifest.GitCommit;
        parameters["config.hash"] = manifest.ConfigHash;
        parameters["tollgate.version"] = manifest.ToolVersions.TryGetValue("tollgate", out var v) ? v : "unknown";
        foreach (var (tool, version) in manifest.ToolVersions.Where(p => p.Key != "tollgate"))
        {
            parameters[$"tool.{JsonFlattener.Key(tool)}"] = version;
        }

        var files = manifest.DataFiles;
        var start = manifest.DataPeriodStart ?? files.Select(f => f.FirstTimestamp).Where(t => t is not null).Min();
        var end = manifest.DataPeriodEnd ?? files.Select(f => f.LastTimestamp).Where(t => t is not null).Max();
        if (start is not null)
        {
            parameters["data.period.start"] = start;
        }

        if (end is not null)
        {
            parameters["data.period.end"] = end;
        }

        if (files.Count > 0)
        {
            parameters["data.files"] = files.Count.ToString(CultureInfo.InvariantCulture);
            parameters["data.rows"] = files.Sum(f => f.Rows).ToString(CultureInfo.InvariantCulture);
            parameters["data.bytes"] = files.Sum(f => f.Bytes).ToString(CultureInfo.InvariantCulture);

            // One digest over every (path, sha256) pair: equal digests mean the same data, whatever the file count.
            parameters["data.sha256"] = Sha256.OfText(string.Join("\n", files.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => $"{f.Path} {f.Sha256}")));
            if (files.Count <= MaxPerFileParams)
            {
                foreach (var f in files)
                {
                    var name = JsonFlattener.Key(Path.GetFileName(f.Path));
                    parameters[$"data.file.{name}.sha256"] = f.Sha256;
                    parameters[$"data.file.{name}.rows"] = f.Rows.ToString(CultureInfo.InvariantCulture);
                }
            }

            var csv = new StringBuilder("path,sha256,rows,bytes,first_timestamp,last_timestamp\n");
            foreach (var f in files)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{f.Path},{f.Sha256},{f.Rows},{f.Bytes},{f.FirstTimestamp},{f.LastTimestamp}\n");
            }

            var csvPath = Path.Combine(run.StageDir(Core.Stages.StageName.LogMlflow), "data-files.csv");
            AtomicFile.WriteAllText(csvPath, csv.ToString());
            artifacts.Add(new ArtifactFile(csvPath, "data/data-files.csv"));
        }

        foreach (var (name, value) in manifest.Ci)
        {
            var key = name.StartsWith("CI_", StringComparison.Ordinal) ? name[3..] : name;
            tags[$"ci.{key.ToLowerInvariant()}"] = value;
        }

        artifacts.Add(new ArtifactFile(Path.Combine(run.Root, RunManifest.FileName), "run/run.json"));
        var specFile = Path.Combine(repoRoot, spec.SpecPath);
        if (File.Exists(specFile))
        {
            artifacts.Add(new ArtifactFile(specFile, "config/model.yaml"));
        }
    }

    private void AddContract(IDictionary<string, string> parameters, List<ArtifactFile> artifacts)
    {
        var path = Path.Combine(repoRoot, spec.ContractPath);
        parameters["contract.path"] = spec.ContractPath;
        if (!File.Exists(path))
        {
            log.Warning($"data contract {spec.ContractPath} not found; contract id and version are not logged.");
            return;
        }

        parameters["contract.sha256"] = Sha256.OfFile(path);
        artifacts.Add(new ArtifactFile(path, "config/" + Path.GetFileName(path)));
        try
        {
            var yaml = new YamlStream();
            using var reader = new StreamReader(path);
            yaml.Load(reader);
            if (yaml.Documents.Count > 0 && yaml.Documents[0].RootNode is YamlMappingNode root)
            {
                foreach (var key in new[] { "id", "version", "apiVersion", "status" })
                {
                    if (root.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { } text })
                    {
                        parameters[$"contract.{key}"] = text;
                    }
                }
            }
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            log.Warning($"{spec.ContractPath}: not readable as YAML ({ex.Message}); contract id and version are not logged.");
        }
    }

    /// <summary>Each stage's metrics as <c>&lt;stage&gt;.&lt;name&gt;</c>, check counts, outcome tags, and its files as artifacts.</summary>
    private bool AddStageReports(
        IDictionary<string, double> metrics,
        IDictionary<string, string> tags,
        List<ArtifactFile> artifacts,
        List<GateVerdict> gates,
        IDictionary<string, string> parameters)
    {
        var rejected = false;
        var stages = Directory.GetDirectories(run.Root)
            .Select(Path.GetFileName)
            .Where(s => s is not null && s != "candidate" && File.Exists(Path.Combine(run.Root, s, RunDirectory.ReportFileName)))
            .Select(s => s!)
            .OrderBy(s => StageName.Chain.ToList().IndexOf(s) is var i && i < 0 ? int.MaxValue : i)
            .ThenBy(s => s, StringComparer.Ordinal);
        foreach (var stage in stages)
        {
            if (stage == StageName.LogMlflow)
            {
                continue; // our own previous report: not evidence of the model
            }

            var report = run.TryReadReport(stage)!;
            rejected |= report.Outcome == StageOutcome.Rejected;
            tags[$"tollgate.stage.{stage}"] = report.Outcome.ToString().ToLowerInvariant();
            foreach (var (name, value) in report.Metrics)
            {
                metrics[$"{stage}.{JsonFlattener.Key(name)}"] = value;
            }

            metrics[$"{stage}.checks.passed"] = report.Checks.Count(c => c.Status == CheckStatus.Passed);
            metrics[$"{stage}.checks.failed"] = report.Checks.Count(c => c.IsBlocking);
            metrics[$"{stage}.checks.warnings"] = report.Checks.Count(c => c.Status == CheckStatus.Failed && !c.IsBlocking);
            metrics[$"{stage}.checks.skipped"] = report.Checks.Count(c => c.Status == CheckStatus.Skipped);
            metrics[$"{stage}.duration_seconds"] = Math.Max(0, (report.FinishedAt - report.StartedAt).TotalSeconds);
            if (report.Details is { } details && stage == StageName.LearnThresholds)
            {
                JsonFlattener.Flatten(details, "thresholds", parameters, metrics);
            }

            foreach (var check in report.Checks.Where(c => c.Id.StartsWith("gate", StringComparison.OrdinalIgnoreCase) || (c.Column is not null && stage != StageName.ValidateData)))
            {
                gates.Add(new GateVerdict(stage, check.Id, check.Column, check.Status.ToString(), check.Observed, check.Expected));
            }

            var dir = Path.Combine(run.Root, stage);
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                AddArtifact(artifacts, file, $"stages/{stage}/{Path.GetRelativePath(dir, file).Replace('\\', '/')}");
            }
        }

        return rejected;
    }

    /// <summary>candidate/*.json flattened (metrics groups → metrics, the rest → <c>candidate.*</c> params) and every file as <c>model/</c>.</summary>
    private string? AddCandidate(IDictionary<string, string> parameters, IDictionary<string, double> metrics, List<ArtifactFile> artifacts)
    {
        if (!Directory.Exists(run.CandidateDir))
        {
            return null;
        }

        string? threshold = null;
        foreach (var file in Directory.EnumerateFiles(run.CandidateDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            AddArtifact(artifacts, file, "model/" + Path.GetRelativePath(run.CandidateDir, file).Replace('\\', '/'));
            if (!file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            JsonNode? json;
            try
            {
                json = JsonNode.Parse(File.ReadAllText(file));
            }
            catch (System.Text.Json.JsonException ex)
            {
                log.Warning($"{file}: not valid JSON ({ex.Message}); logged as an artifact only.");
                continue;
            }

            if ((json as JsonObject)?["specSha256"] is JsonValue trained && trained.TryGetValue<string>(out var trainedSha) && trainedSha != spec.SpecSha256 && trainedSha.Length >= 12)
            {
                // spec.* params come from today's model.yaml; say so when it is not the file the candidate was trained with.
                log.Warning($"{spec.SpecPath} changed since the candidate was trained (sha256 {trainedSha[..12]}… then, {spec.SpecSha256[..12]}… now); " +
                            "spec.* params describe the current file, candidate.* params the one used for training.");
            }

            var name = Path.GetFileNameWithoutExtension(file);
            JsonFlattener.Flatten(json, name == "candidate" ? "candidate" : name, parameters, metrics);
            var value = (json as JsonObject)?["threshold"];
            if (value is JsonObject nested)
            {
                value = nested["value"] ?? nested["threshold"];
            }

            if (value is JsonValue v && v.TryGetValue<double>(out var t))
            {
                threshold ??= JsonFlattener.Format(t);
            }
        }

        if (threshold is not null)
        {
            parameters["threshold"] = threshold;
        }

        return threshold;
    }

    /// <summary>Gain over the baseline for each metric both groups have, when the stages did not log it themselves.</summary>
    private static void AddGains(IDictionary<string, double> metrics)
    {
        foreach (var key in metrics.Keys.Where(k => k.StartsWith("holdout.", StringComparison.Ordinal)).ToList())
        {
            var name = key["holdout.".Length..];
            if (metrics.TryGetValue($"baseline.{name}", out var baseline) && !metrics.ContainsKey($"gain.{name}"))
            {
                metrics[$"gain.{name}"] = metrics[key] - baseline;
            }
        }
    }

    private void AddArtifact(List<ArtifactFile> artifacts, string file, string artifactPath)
    {
        var name = Path.GetFileName(file);
        if (name.StartsWith('.') || name.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return; // half-written temporary files of AtomicFile
        }

        var size = new FileInfo(file).Length;
        if (size > MaxArtifactBytes)
        {
            log.Warning($"{file}: {size / (1 << 20)} MiB is over the {MaxArtifactBytes >> 20} MiB artifact limit; not uploaded.");
            return;
        }

        artifacts.Add(new ArtifactFile(file, artifactPath));
    }

    private static void FlattenYaml(YamlNode node, string path, IDictionary<string, string> parameters)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    FlattenYaml(v, JsonFlattener.Join(path, ((YamlScalarNode)k).Value ?? string.Empty), parameters);
                }

                break;
            case YamlSequenceNode seq when seq.All(i => i is YamlScalarNode):
                parameters[JsonFlattener.Key(path)] = string.Join(",", seq.Cast<YamlScalarNode>().Select(s => s.Value));
                break;
            case YamlSequenceNode seq:
                var i = 0;
                foreach (var item in seq)
                {
                    FlattenYaml(item, JsonFlattener.Join(path, i.ToString(CultureInfo.InvariantCulture)), parameters);
                    i++;
                }

                break;
            case YamlScalarNode scalar:
                parameters[JsonFlattener.Key(path)] = scalar.Value ?? string.Empty;
                break;
        }
    }

    private static string Note(RunManifest manifest, IDictionary<string, string> tags)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Tollgate run `{manifest.RunId}` of `{manifest.Model}` at commit `{manifest.GitCommit}`.\n\n");
        foreach (var (key, value) in tags.Where(t => t.Key.StartsWith("tollgate.stage.", StringComparison.Ordinal)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"- {key["tollgate.stage.".Length..]}: {value}\n");
        }

        return sb.ToString();
    }
}
