using System.CommandLine;
using System.Text.Json.Nodes;
using Tollgate.Cli.Hosting;
using Tollgate.Core.Stages;
using Tollgate.Data.Stage;

namespace Tollgate.Cli.Verbs;

/// <summary>
/// <c>tollgate validate-data</c>: the first stage. Starts a run, checks every dump in the incoming folder against the
/// ODCS contract and the profile history, quarantines rejected dumps, and writes <c>accepted.json</c> for Train.
/// </summary>
public sealed class ValidateDataVerb : StageVerb
{
    private readonly Option<string?> servingLog = new("--serving-log")
    {
        Description = "A model-server log (JSON Lines: received/processed/output per request) to compare with the training data (skew checks).",
    };

    private readonly Option<string?> historyDir = new("--history-dir")
    {
        Description = "Profile history folder. Default: artifacts/history/<model>.",
    };

    private readonly Option<bool> noQuarantine = new("--no-quarantine")
    {
        Description = "Report rejected dumps but leave them in the incoming folder (for a dry look; the stage still fails).",
    };

    protected override string Stage => StageName.ValidateData;

    protected override string Description =>
        "Checks every dump in the model's incoming folder against its ODCS contract (format, encoding, schema, types, " +
        "nulls, domains, ranges, keys, dates, integrity) and against the profiles of earlier accepted dumps (volume, null " +
        "rates, aggregates, drift, label association), then the accepted data for label leaks. Rejected dumps move to " +
        "the quarantine folder. Writes validate-data/accepted.json, profile.json, dumps.json, report.html and report.json.";

    protected override bool StartsRun => true;

    protected override void AddOptions(Command command)
    {
        command.Options.Add(servingLog);
        command.Options.Add(historyDir);
        command.Options.Add(noQuarantine);
    }

    protected override async Task<StageReport> RunAsync(StageInvocation invocation, CancellationToken cancellationToken)
    {
        var parse = invocation.ParseResult;
        var options = new ValidateDataOptions
        {
            RepoRoot = invocation.RepoRoot,
            Spec = invocation.Spec,
            RunId = invocation.Run.RunId,
            OutputDir = invocation.Run.StageDir(Stage),
            HistoryDir = parse.GetValue(historyDir),
            ServingLog = parse.GetValue(servingLog),
            Quarantine = !parse.GetValue(noQuarantine),
            Time = invocation.Time,
        };
        var result = await Task.Run(() => ValidateDataStage.Run(options, invocation.Log, cancellationToken), cancellationToken);
        var manifest = result.Accepted;
        invocation.Run.UpdateManifest(m => m with
        {
            DataFiles = manifest.Files,
            DataPeriodStart = manifest.FirstTimestamp,
            DataPeriodEnd = manifest.LastTimestamp,
        });
        return new StageReport
        {
            Stage = Stage,
            Model = invocation.Spec.Name,
            Outcome = result.Outcome,
            StartedAt = invocation.Time.GetUtcNow(),
            FinishedAt = invocation.Time.GetUtcNow(),
            Summary = result.Summary,
            Checks = result.Checks,
            Metrics = result.Metrics,
            Outputs = result.Outputs,
            Details = new JsonObject
            {
                ["contract"] = manifest.Contract,
                ["acceptedFiles"] = manifest.Files.Count,
                ["quarantined"] = new JsonArray([.. result.Dumps.Where(d => d.Status == "quarantined").Select(d => (JsonNode?)JsonValue.Create(d.File))]),
                ["dataPeriodStart"] = manifest.FirstTimestamp,
                ["dataPeriodEnd"] = manifest.LastTimestamp,
            },
        };
    }
}
