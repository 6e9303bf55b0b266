namespace Tollgate.Core.Runs;

/// <summary><c>run.json</c>: who, what and when of a run — enough to reproduce it and to log it.</summary>
public sealed record RunManifest
{
    public const string FileName = "run.json";

    public required string RunId { get; init; }

    public required string Model { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Git commit of the repository, or <c>unknown</c> outside a checkout.</summary>
    public required string GitCommit { get; init; }

    public string? GitBranch { get; init; }

    /// <summary>SHA-256 over model.yaml and the data contract: same hash, same configuration.</summary>
    public required string ConfigHash { get; init; }

    public required IReadOnlyDictionary<string, string> ToolVersions { get; init; }

    /// <summary>Filled in by Validate-Data.</summary>
    public IReadOnlyList<DataFileRecord> DataFiles { get; init; } = [];

    public string? DataPeriodStart { get; init; }

    public string? DataPeriodEnd { get; init; }

    /// <summary>GitLab CI identifiers when the standard variables are set.</summary>
    public IReadOnlyDictionary<string, string> Ci { get; init; } = new Dictionary<string, string>();
}
