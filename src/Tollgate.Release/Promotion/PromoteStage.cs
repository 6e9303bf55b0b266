using System.Text.Json.Nodes;
using Tollgate.Core.Releases;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Release.Deployment;
using Tollgate.Release.Hosting;
using Tollgate.Release.Shadow;
using Tollgate.Release.Switching;

namespace Tollgate.Release.Promotion;

/// <summary>
/// Promote: the run's candidate, blessed by Shadow-Deploy, becomes production through the front door (zero failed
/// requests: the old version serves until the new one is ready and keeps draining after the switch). Idempotent:
/// promoting what already serves is Passed with a message.
/// </summary>
public static class PromoteStage
{
    public static async Task<StageReport> RunAsync(ReleaseEnvironment env, RunDirectory run, IStageLog log, CancellationToken cancellationToken)
    {
        run.RequirePassed(StageName.ShadowDeploy);
        var candidate = CandidateInfo.Read(run.CandidateDir);
        var image = BuildImageInfo.TryRead(run);
        var dir = ReleaseFolders.Materialize(env.Store, env.Spec.Name, candidate.Version, candidate.Dir, Path.Combine(env.RepoRoot, env.Spec.ContractPath));
        // The history keeps the pullable reference by digest (registry/name@sha256:…), so a rollback on any runner can pull it.
        var target = new ReleasedModel(env.Spec.Name, candidate.Version, candidate.RunId, dir, image?.ReferenceByDigest);
        var smoke = ReplaySource.Load(env.RepoRoot, env.Spec, null, env.ServingLogRoot, env.Release.SmokeRows).Rows.Select(r => r.Row).ToList();
        var result = await env.Switcher.SwitchAsync(new SwitchRequest(ReleaseEvent.PromoteKind, target, $"promote run {run.RunId}", smoke), cancellationToken);
        return await ReportAsync(StageName.Promote, env, result, target, cancellationToken);
    }

    /// <summary>Turns a switch result into a report, checking through the front door that the target serves.</summary>
    internal static async Task<StageReport> ReportAsync(string stage, ReleaseEnvironment env, SwitchResult result, ReleasedModel target, CancellationToken ct)
    {
        var checks = new List<CheckResult>();
        if (result.Failure is not null)
        {
            checks.Add(new CheckResult($"{stage}.target-ready", Severity.Error, CheckStatus.Failed, result.Failure, Observed: "not ready", Expected: "/health/ready 200 and smoke predictions"));
        }
        else
        {
            checks.Add(new CheckResult($"{stage}.target-ready", Severity.Error, CheckStatus.Passed, $"{target.Version} answered /health/ready and the smoke set"));
            using var probe = new ServerProbe();
            var served = (string?)(await probe.MetadataAsync(env.FrontDoor.Url, ct))?["version"];
            checks.Add(new CheckResult(
                $"{stage}.front-door-serves",
                Severity.Error,
                served == target.Version ? CheckStatus.Passed : CheckStatus.Failed,
                served == target.Version
                    ? $"{env.FrontDoor.Url}/v1/metadata reports {served}"
                    : $"{env.FrontDoor.Url}/v1/metadata reports {served ?? "nothing"}, expected {target.Version}; check {env.FrontDoor.LogPath}",
                Observed: served,
                Expected: target.Version));
        }

        var details = new JsonObject
        {
            ["frontDoor"] = env.FrontDoor.Url,
            ["backend"] = env.Backend.Name,
            ["previous"] = result.Previous?.Version,
            ["production"] = result.Production?.Version,
            ["releaseDir"] = target.ModelDir,
            ["imageDigest"] = target.ImageDigest,
            ["recovered"] = result.Recovered,
            ["notes"] = new JsonArray(result.Notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
            ["history"] = new ReleaseHistory(env.ModelRoot).Path,
        };
        return new StageReport
        {
            Stage = stage,
            Model = env.Spec.Name,
            Outcome = StageReport.OutcomeOf(checks),
            StartedAt = default,
            FinishedAt = default,
            Summary = result.Message,
            Checks = checks,
            Metrics = new Dictionary<string, double> { ["switchSeconds"] = Math.Round(result.Elapsed.TotalSeconds, 3), ["changed"] = result.Changed ? 1 : 0 },
            Details = details,
        };
    }
}
