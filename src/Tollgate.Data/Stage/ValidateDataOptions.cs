using Tollgate.Core.Specs;

namespace Tollgate.Data.Stage;

/// <summary>What Validate-Data knows before it runs.</summary>
public sealed record ValidateDataOptions
{
    /// <summary>Repository root; the spec's paths are relative to it.</summary>
    public required string RepoRoot { get; init; }

    public required ModelSpec Spec { get; init; }

    /// <summary>The run id recorded in the history for dumps accepted now.</summary>
    public required string RunId { get; init; }

    /// <summary>Where this run's validate-data outputs go.</summary>
    public required string OutputDir { get; init; }

    /// <summary>Profile history folder. <value>Default <c>artifacts/history/&lt;model&gt;</c>.</value></summary>
    public string? HistoryDir { get; init; }

    /// <summary>A serving log (JSON Lines) to compare with the training data (skew). <value>Default none.</value></summary>
    public string? ServingLog { get; init; }

    /// <summary>Move rejected dumps to the quarantine folder. <value>Default true.</value></summary>
    public bool Quarantine { get; init; } = true;

    /// <summary>Parallel workers for large files and for many small ones. <value>Default: one per core.</value></summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string ResolvedHistoryDir => Path.GetFullPath(HistoryDir ?? Path.Combine("artifacts", "history", Spec.Name), RepoRoot);
}
