using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Data.Profiles;

namespace Tollgate.Data.Stage;

/// <summary>The outcome of Validate-Data: the checks (aggregated over dumps), what was accepted, and where outputs are.</summary>
public sealed record ValidateDataResult
{
    public required StageOutcome Outcome { get; init; }

    public required string Summary { get; init; }

    public required IReadOnlyList<CheckResult> Checks { get; init; }

    /// <summary>The accepted dumps: what Train reads.</summary>
    public required DataManifest Accepted { get; init; }

    public required IReadOnlyList<DumpOutcome> Dumps { get; init; }

    /// <summary>Profile of all accepted data pooled.</summary>
    public DumpProfile? Profile { get; init; }

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Files written, relative to the output folder.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];
}
