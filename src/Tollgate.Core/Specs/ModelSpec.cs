using YamlDotNet.RepresentationModel;

namespace Tollgate.Core.Specs;

/// <summary>
/// <c>models/&lt;name&gt;/model.yaml</c>, loaded and validated by <see cref="ModelSpecLoader"/>. Everything that shapes the
/// model is here, so logging the spec logs the configuration.
/// </summary>
public sealed record ModelSpec
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Path of the model.yaml this was read from (relative to the repository root).</summary>
    public required string SpecPath { get; init; }

    public required TaskKind Task { get; init; }

    /// <summary>ODCS v3.1 data contract, relative to the repository root.</summary>
    public required string ContractPath { get; init; }

    /// <summary>Folder the upstream drops dump files into, relative to the repository root.</summary>
    public required string IncomingPath { get; init; }

    /// <summary>Where rejected dumps are moved. <value>Default <c>data/quarantine/&lt;name&gt;</c>.</value></summary>
    public required string QuarantinePath { get; init; }

    public required string LabelColumn { get; init; }

    /// <summary>The label value that counts as positive (binary classification only).</summary>
    public string? PositiveClass { get; init; }

    public required string TimestampColumn { get; init; }

    /// <summary>.NET date format of the timestamp column. <value>Default <c>yyyy-MM-dd</c>.</value></summary>
    public required string TimestampFormat { get; init; }

    /// <summary>Columns that identify a row (for per-row comparisons and duplicate checks).</summary>
    public IReadOnlyList<string> KeyColumns { get; init; } = [];

    public required IReadOnlyList<string> NumericFeatures { get; init; }

    public required IReadOnlyList<string> CategoricalFeatures { get; init; }

    /// <summary>Columns deliberately left out, with the reason (e.g. leakage).</summary>
    public IReadOnlyDictionary<string, string> ExcludedColumns { get; init; } = new Dictionary<string, string>();

    public required HoldoutSpec Holdout { get; init; }

    public required TrainerSpec Trainer { get; init; }

    /// <summary>Seed for every random choice (ML.NET context, bootstrap). <value>Default 42.</value></summary>
    public int Seed { get; init; } = 42;

    /// <summary>Naive baseline: <c>prior</c> or <c>majority</c> (binary); <c>mean</c>, <c>last</c> or <c>seasonal</c> (regression).</summary>
    public required string Baseline { get; init; }

    /// <summary>Season length in days for the <c>seasonal</c> baseline. <value>Default 365.</value></summary>
    public int SeasonalPeriodDays { get; init; } = 365;

    public required GateSpec Gates { get; init; }

    /// <summary>SHA-256 of the model.yaml bytes.</summary>
    public required string SpecSha256 { get; init; }

    /// <summary>The parsed YAML, for sections owned by later stages (compare, thresholds, tracking, release…).</summary>
    public required YamlMappingNode Raw { get; init; }

    public IEnumerable<string> AllFeatures => NumericFeatures.Concat(CategoricalFeatures);

    /// <summary>
    /// Reads a section owned by another stage with the same error reporting as the core spec.
    /// Returns null when the section is absent.
    /// </summary>
    public SpecNode? ReadSection(string name, SpecErrors errors) =>
        new SpecNode(SpecPath, string.Empty, Raw, errors).Map(name);
}
