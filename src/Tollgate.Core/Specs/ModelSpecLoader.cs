using System.Globalization;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tollgate.Core.Specs;

/// <summary>
/// Loads <c>models/&lt;name&gt;/model.yaml</c> and validates all of it at once: every problem is reported together with
/// file, line and key, and nothing is half-loaded.
/// </summary>
public static class ModelSpecLoader
{
    /// <summary>Top-level sections read by later stages through <see cref="ModelSpec.ReadSection"/>.</summary>
    public static IReadOnlyList<string> ExtensionSections { get; } =
        ["slices", "compare", "thresholds", "importance", "validation", "tracking", "image", "serving", "deploy", "shadow", "release"];

    private static readonly string[] CoreKeys =
        ["name", "description", "task", "data", "label", "timestamp", "key", "features", "excluded", "holdout", "trainer", "seed", "baseline", "gates"];

    /// <summary>The spec path for a model name: <c>models/&lt;name&gt;/model.yaml</c>.</summary>
    public static string PathFor(string repoRoot, string model) => Path.Combine(repoRoot, "models", model, "model.yaml");

    public static ModelSpec LoadByName(string repoRoot, string model)
    {
        var path = PathFor(repoRoot, model);
        if (!File.Exists(path))
        {
            var known = Directory.Exists(Path.Combine(repoRoot, "models"))
                ? Directory.GetDirectories(Path.Combine(repoRoot, "models")).Select(Path.GetFileName).Where(n => File.Exists(PathFor(repoRoot, n!)))
                : [];
            throw new ConfigurationException(
                $"{Path.GetRelativePath(repoRoot, path)}: no model spec for '{model}'. Known models: {string.Join(", ", known.DefaultIfEmpty("(none)"))}.");
        }

        return Load(repoRoot, path);
    }

    public static ModelSpec Load(string repoRoot, string path)
    {
        var display = Path.GetRelativePath(repoRoot, Path.GetFullPath(path)).Replace('\\', '/');
        var text = File.ReadAllText(path);
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ConfigurationException($"{display}:{ex.Start.Line}: not valid YAML: {ex.InnerException?.Message ?? ex.Message}");
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode rootMap)
        {
            throw new ConfigurationException($"{display}: expected a YAML mapping with keys such as name, task, label, features, gates.");
        }

        var errors = new SpecErrors();
        var root = new SpecNode(display, string.Empty, rootMap, errors);
        root.RejectUnknownKeys([.. CoreKeys, .. ExtensionSections]);

        var name = root.String("name", required: true) ?? string.Empty;
        var expectedName = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)));
        if (name.Length > 0 && expectedName != name)
        {
            root.Error("name", $"'{name}' does not match the folder name '{expectedName}'; rename one so they agree.");
        }

        var taskText = root.String("task", required: true, oneOf: ["binary-classification", "regression"]);
        var task = taskText == "regression" ? TaskKind.Regression : TaskKind.BinaryClassification;

        var data = root.Map("data", required: true);
        data?.RejectUnknownKeys("contract", "incoming", "quarantine");
        var contract = data?.String("contract", required: true);
        var incoming = data?.String("incoming", required: true);
        var quarantine = data?.String("quarantine") ?? $"data/quarantine/{name}";
        CheckFile(repoRoot, data, "contract", contract, isDirectory: false);
        CheckFile(repoRoot, data, "incoming", incoming, isDirectory: true);

        var label = root.Map("label", required: true);
        label?.RejectUnknownKeys("column", "positiveClass");
        var labelColumn = label?.String("column", required: true);
        var positive = label?.String("positiveClass", required: task == TaskKind.BinaryClassification);
        if (task == TaskKind.Regression && positive is not null)
        {
            label!.Error("positiveClass", "only binary-classification models have a positive class; remove it.");
        }

        var ts = root.Map("timestamp", required: true);
        ts?.RejectUnknownKeys("column", "format");
        var tsColumn = ts?.String("column", required: true);
        var tsFormat = ts?.String("format") ?? "yyyy-MM-dd";

        var keyColumns = root.StringList("key");

        var features = root.Map("features", required: true);
        features?.RejectUnknownKeys("numeric", "categorical");
        var numeric = features?.StringList("numeric") ?? [];
        var categorical = features?.StringList("categorical") ?? [];
        if (features is not null && numeric.Count + categorical.Count == 0)
        {
            features.Error("numeric", "no features declared; list at least one numeric or categorical column.");
        }

        var excluded = root.ScalarMap("excluded");
        CheckColumns(root, labelColumn, tsColumn, numeric, categorical, excluded);

        var holdout = ReadHoldout(root);
        var trainer = ReadTrainer(root);
        var seed = root.Integer("seed") ?? 42;
        var baseline = root.String(
            "baseline",
            required: true,
            oneOf: task == TaskKind.Regression ? ["mean", "last", "seasonal"] : ["prior", "majority"]);
        var gates = ReadGates(root, task);

        errors.ThrowIfAny();
        return new ModelSpec
        {
            Name = name,
            Description = root.String("description"),
            SpecPath = display,
            Task = task,
            ContractPath = contract!,
            IncomingPath = incoming!,
            QuarantinePath = quarantine,
            LabelColumn = labelColumn!,
            PositiveClass = positive,
            TimestampColumn = tsColumn!,
            TimestampFormat = tsFormat,
            KeyColumns = keyColumns,
            NumericFeatures = numeric,
            CategoricalFeatures = categorical,
            ExcludedColumns = excluded,
            Holdout = holdout!,
            Trainer = trainer!,
            Seed = seed,
            Baseline = baseline!,
            SeasonalPeriodDays = 365,
            Gates = gates!,
            SpecSha256 = Sha256.OfText(text),
            Raw = rootMap,
        };
    }

    private static void CheckFile(string repoRoot, SpecNode? node, string key, string? relative, bool isDirectory)
    {
        if (node is null || relative is null)
        {
            return;
        }

        var full = Path.Combine(repoRoot, relative);
        var exists = isDirectory ? Directory.Exists(full) : File.Exists(full);
        if (!exists)
        {
            node.Error(key, $"{(isDirectory ? "folder" : "file")} '{relative}' not found (paths are relative to the repository root).");
        }
    }

    private static void CheckColumns(
        SpecNode root,
        string? label,
        string? ts,
        IReadOnlyList<string> numeric,
        IReadOnlyList<string> categorical,
        IReadOnlyDictionary<string, string> excluded)
    {
        foreach (var dup in numeric.Concat(categorical).GroupBy(c => c).Where(g => g.Count() > 1))
        {
            root.Error("features", $"column '{dup.Key}' is listed more than once.");
        }

        foreach (var column in numeric.Concat(categorical))
        {
            if (column == label)
            {
                root.Error("features", $"the label '{column}' cannot also be a feature.");
            }

            if (excluded.ContainsKey(column))
            {
                root.Error("features", $"'{column}' is both a feature and excluded; remove it from one of them.");
            }
        }
    }

    private static HoldoutSpec? ReadHoldout(SpecNode root)
    {
        var holdout = root.Map("holdout", required: true);
        if (holdout is null)
        {
            return null;
        }

        holdout.RejectUnknownKeys("lastDays", "latestFraction");
        var days = holdout.Integer("lastDays", min: 1, max: 36500);
        var fraction = holdout.Number("latestFraction", min: 0.01, max: 0.9);
        if ((days is null) == (fraction is null) && holdout.Errors.Count == 0)
        {
            holdout.Error("lastDays", "give exactly one of lastDays (e.g. 90) or latestFraction (e.g. 0.2).");
        }

        return new HoldoutSpec(days, fraction);
    }

    private static TrainerSpec? ReadTrainer(SpecNode root)
    {
        var trainer = root.Map("trainer", required: true);
        if (trainer is null)
        {
            return null;
        }

        trainer.RejectUnknownKeys("name", "hyperparameters");
        var name = trainer.String("name", required: true, oneOf: [.. TrainerSpec.Known.Keys]);
        var hyper = new Dictionary<string, double>(StringComparer.Ordinal);
        var hp = trainer.Map("hyperparameters");
        if (hp is not null && name is not null)
        {
            hp.RejectUnknownKeys(TrainerSpec.Known[name]);
            foreach (var key in hp.Keys.Where(k => TrainerSpec.Known[name].Contains(k)))
            {
                if (hp.Number(key, min: 0) is { } v)
                {
                    hyper[key] = v;
                }
            }
        }

        return name is null ? null : new TrainerSpec(name, hyper);
    }

    private static GateSpec? ReadGates(SpecNode root, TaskKind task)
    {
        var gates = root.Map("gates");
        if (gates is null)
        {
            root.Errors.Add($"{root.File}: 'gates': no gates configured. Gates fail closed: add e.g. 'gates: {{ minimum: {{ auc: 0.7 }}, minimumGainOverBaseline: {{ auc: 0.05 }} }}'.");
            return null;
        }

        gates.RejectUnknownKeys("minimum", "maximum", "minimumGainOverBaseline");
        var spec = new GateSpec(
            Metrics(gates, "minimum", task),
            Metrics(gates, "maximum", task),
            Metrics(gates, "minimumGainOverBaseline", task));
        if (spec.IsEmpty)
        {
            gates.Error("minimum", "no gate configured. Gates fail closed: set at least one metric under minimum, maximum or minimumGainOverBaseline.");
        }

        return spec;
    }

    private static Dictionary<string, double> Metrics(SpecNode gates, string key, TaskKind task)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var map = gates.Map(key);
        if (map is null)
        {
            return result;
        }

        map.RejectUnknownKeys([.. MetricCatalog.NamesFor(task)]);
        foreach (var metric in map.Keys.Where(k => MetricCatalog.IsKnown(task, k)))
        {
            if (map.Number(metric) is { } v)
            {
                result[metric] = v;
            }
        }

        return result;
    }

    /// <summary>Parses a timestamp in the spec's format; null when it does not match.</summary>
    public static DateTime? ParseTimestamp(ModelSpec spec, string text) =>
        DateTime.TryParseExact(text, spec.TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;
}
