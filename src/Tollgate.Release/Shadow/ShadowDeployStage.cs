using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.IO;
using Tollgate.Core.Releases;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;
using Tollgate.Release.Deployment;
using Tollgate.Release.Hosting;
using Tollgate.Release.Promotion;

namespace Tollgate.Release.Shadow;

/// <summary>
/// Shadow-Deploy: starts the candidate beside production and feeds it the same requests — replayed serving-log rows at
/// a set rate (the CI default) or live traffic mirrored by the front door — then gates latency, errors and agreement.
/// With nothing in production the candidate alone must start, become ready, answer a smoke set and meet the latency and
/// error gates. A passed candidate stays running as the front door's shadow (Promote reuses it); a rejected one is stopped.
/// </summary>
public static class ShadowDeployStage
{
    public const string DisagreementsFile = "disagreements.jsonl";


    public static async Task<StageReport> RunAsync(ReleaseEnvironment env, ShadowOptions options, RunDirectory run, IStageLog log, CancellationToken ct)
    {
        var candidate = CandidateInfo.Read(run.CandidateDir);
        var releaseDir = ReleaseFolders.Materialize(env.Store, env.Spec.Name, candidate.Version, candidate.Dir, Path.Combine(env.RepoRoot, env.Spec.ContractPath));
        var stageDir = run.StageDir(StageName.ShadowDeploy);
        using var held = ReleaseLock.Acquire(env.ModelRoot, $"shadow-deploy {env.Spec.Name} {candidate.Version}");
        await env.Switcher.RecoverAsync(ct);
        await env.FrontDoor.EnsureRunningAsync(ct);

        var routes = env.FrontDoor.ReadRoutes();
        var running = new List<Deployment.Deployment>();
        foreach (var d in await env.Backend.ListAsync(env.Spec.Name, ct))
        {
            if ((await env.Backend.InspectAsync(d, ct)).Running)
            {
                running.Add(d);
            }
        }

        var production = routes.Production is { } p && running.Any(d => d.Name == p.Deployment) ? p : null;
        if (routes.Production is not null && production is null)
        {
            log.Warning($"the front door names {routes.Production.Version} as production but {routes.Production.Deployment} is not running; judging the candidate alone");
        }

        var checks = new List<CheckResult>();
        var deployment = running.FirstOrDefault(d => d.Version == candidate.Version && d.Name != production?.Deployment)
            ?? await env.Backend.StartAsync(
                new DeploymentRequest(env.Spec.Name, candidate.Version, releaseDir, BuildImageInfo.TryRead(run)?.ReferenceByDigest,
                    PortAllocator.Next(env.Deploy.FirstPort, env.Deploy.LastPort, running.Select(d => d.Port)), "shadow", Path.Combine(env.ServingLogRoot, candidate.Version)),
                ct);
        log.Info($"candidate {candidate.Version} runs as {deployment.Name} on {deployment.Url}; production: {production?.Version ?? "none (first release)"}");

        using var probe = new ServerProbe();
        var (smokeRows, _) = ReplaySource.Load(env.RepoRoot, env.Spec, options.ReplayPath, env.ServingLogRoot, env.Release.SmokeRows);
        var ready = await probe.WaitReadyAsync(deployment.Url, env.Deploy.ReadyTimeout, async () => (await env.Backend.InspectAsync(deployment, ct)).Running, ct)
            ?? await probe.SmokeAsync(deployment.Url, smokeRows.Select(r => r.Row).ToList(), ct);
        checks.Add(ready is null
            ? new CheckResult("shadow.candidate-ready", Severity.Error, CheckStatus.Passed, $"{candidate.Version} became ready and answered {smokeRows.Count} smoke rows")
            : new CheckResult("shadow.candidate-ready", Severity.Error, CheckStatus.Failed, $"{candidate.Version}: {ready}. Log: {deployment.Log}", Observed: "not ready", Expected: "ready within " + env.Deploy.ReadyTimeout.TotalSeconds + " s"));

        IReadOnlyList<Exchange> exchanges = [];
        var source = "none";
        if (ready is null)
        {
            if (options.Mode == "mirror")
            {
                await LowerAsync(env, options, deployment, log, ct); // live traffic from here on
            }

            (exchanges, source) = options.Mode == "mirror"
                ? await MirrorAsync(env, options, deployment, candidate.Version, log, ct)
                : await ReplayAsync(env, options, deployment, production, log, ct);
        }

        var status = await env.Backend.InspectAsync(deployment, ct);
        var m = ShadowMeasurements.Of(exchanges);
        if (ready is null)
        {
            checks.AddRange(Gates(options.Gates, m, production is not null, status));
        }

        var outcome = StageReport.OutcomeOf(checks);
        var disagreements = WriteDisagreements(stageDir, exchanges);
        if (outcome == StageOutcome.Passed)
        {
            if (options.Mode != "mirror")
            {
                // Replay measured both at the same priority, the same rows at the same moment; from now on the
                // candidate takes copies of live traffic until Promote.
                await LowerAsync(env, options, deployment, log, ct);
            }

            var old = routes.Shadow;
            await env.FrontDoor.SwitchAsync(r => r with { Shadow = new GatewayUpstream(candidate.Version, deployment.Url, deployment.Name) }, ct);
            if (old is not null && old.Deployment != deployment.Name)
            {
                foreach (var d in running.Where(d => d.Name == old.Deployment))
                {
                    await env.Backend.StopAsync(d, TimeSpan.FromSeconds(5), ct);
                }
            }

            try
            {
                log.Info(await env.Aliases.MoveAsync("challenger", new ReleasedModel(env.Spec.Name, candidate.Version, candidate.RunId, releaseDir), ct));
            }
            catch (Exception ex) when (ex is Core.Errors.TollgateException or HttpRequestException)
            {
                // The alias mirrors the verdict for MLflow readers; the report and the front door are what Promote uses.
                log.Warning($"alias 'challenger' not moved ({ex.Message}); Promote still works from the run directory");
            }
        }
        else
        {
            if (routes.Shadow?.Deployment == deployment.Name)
            {
                await env.FrontDoor.SwitchAsync(r => r with { Shadow = null }, ct);
            }

            await env.Backend.StopAsync(deployment, TimeSpan.FromSeconds(5), ct);
        }

        return new StageReport
        {
            Stage = StageName.ShadowDeploy,
            Model = env.Spec.Name,
            Outcome = outcome,
            StartedAt = default,
            FinishedAt = default,
            Summary = Summary(outcome, candidate.Version, production?.Version, m, source),
            Checks = checks,
            Metrics = Metrics(m, status),
            Outputs = [DisagreementsFile],
            Details = new JsonObject
            {
                ["candidate"] = candidate.Version,
                ["production"] = production?.Version,
                ["mode"] = options.Mode,
                ["source"] = source,
                ["deployment"] = deployment.Name,
                ["disagreements"] = disagreements,
                ["measurements"] = JsonSerializer.SerializeToNode(m, TollgateJson.Options),
            },
        };
    }

    private static async Task<(IReadOnlyList<Exchange>, string)> ReplayAsync(ReleaseEnvironment env, ShadowOptions options, Deployment.Deployment deployment, GatewayUpstream? production, IStageLog log, CancellationToken ct)
    {
        var (rows, source) = ReplaySource.Load(env.RepoRoot, env.Spec, options.ReplayPath, env.ServingLogRoot, options.Requests);
        log.Info($"replaying {rows.Count} requests from {source} at {options.RatePerSecond.ToString(CultureInfo.InvariantCulture)}/s");
        using var replay = new ReplayClient();

        // Production is warm, a fresh candidate is not (JIT, connection pools): warm it up unmeasured, or the p99 gate
        // would judge start-up rather than the model.
        var warmUp = Enumerable.Range(0, options.WarmUpRequests).Select(i => rows[i % rows.Count]).ToList();
        if (rows.Count > 0)
        {
            await replay.RunAsync(warmUp, deployment.Url, null, options.RatePerSecond * 4, NullStageLog.Instance, ct);
        }

        return (await replay.RunAsync(rows, deployment.Url, production?.Url, options.RatePerSecond, log, ct), source);
    }

    /// <summary>
    /// Mirroring must not slow production down: a shadow that takes copies of live traffic runs at low CPU priority
    /// (shadow.priority, default low), so it only uses CPU production leaves idle; Promote raises it again.
    /// </summary>
    private static async Task LowerAsync(ReleaseEnvironment env, ShadowOptions options, Deployment.Deployment deployment, IStageLog log, CancellationToken ct)
    {
        if (options.Priority != DeploymentPriority.Low)
        {
            return;
        }

        log.Info(await env.Backend.SetPriorityAsync(deployment, DeploymentPriority.Low, ct)
            ? $"{deployment.Name} runs at low CPU priority while it is the shadow (shadow.priority: low)"
            : $"{deployment.Name}: could not lower its CPU priority; as the shadow it competes with production for CPU");
    }

    private static async Task<(IReadOnlyList<Exchange>, string)> MirrorAsync(ReleaseEnvironment env, ShadowOptions options, Deployment.Deployment deployment, string version, IStageLog log, CancellationToken ct)
    {
        var routes = await env.FrontDoor.SwitchAsync(r => r with { Shadow = new GatewayUpstream(version, deployment.Url, deployment.Name) }, ct);
        var path = routes.MirrorLog ?? Path.Combine(env.ModelRoot, "mirror.jsonl");
        var offset = File.Exists(path) ? new FileInfo(path).Length : 0;
        log.Info($"mirroring live traffic from {env.FrontDoor.Url} to {deployment.Url}; waiting for {options.Requests} requests (at most {options.MirrorTimeout.TotalSeconds:0} s)");
        var clock = Stopwatch.StartNew();
        IReadOnlyList<Exchange> seen = [];
        while (clock.Elapsed < options.MirrorTimeout)
        {
            seen = MirrorLogReader.Read(path, version, offset);
            log.Progress("mirror", seen.Count / (double)options.Requests);
            if (seen.Count >= options.Requests)
            {
                break;
            }

            await Task.Delay(500, ct);
        }

        return (seen.Take(options.Requests).ToList(), $"live traffic mirrored by {env.FrontDoor.Url}");
    }

    private static IEnumerable<CheckResult> Gates(ShadowGates g, ShadowMeasurements m, bool hasProduction, DeploymentStatus status)
    {
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        yield return new CheckResult("shadow.min-requests", Severity.Error, m.Requests >= g.MinRequests ? CheckStatus.Passed : CheckStatus.Failed,
            $"{m.Requests} requests answered; at least {g.MinRequests} needed{(m.Requests >= g.MinRequests ? string.Empty : " — record more serving traffic, lower shadow.gates.minRequests or point shadow.replay at more rows")}",
            Observed: m.Requests.ToString(CultureInfo.InvariantCulture), Expected: $">= {g.MinRequests}");
        yield return new CheckResult("shadow.error-rate", Severity.Error, m.CandidateErrorRate <= g.MaxErrorRate ? CheckStatus.Passed : CheckStatus.Failed,
            $"candidate error rate {F(m.CandidateErrorRate)} (production {(m.ProductionErrorRate is { } pe ? F(pe) : "n/a")}); maximum {F(g.MaxErrorRate)}",
            Observed: F(m.CandidateErrorRate), Expected: $"<= {F(g.MaxErrorRate)}");
        var p99 = double.IsNaN(m.Candidate.P99) ? double.PositiveInfinity : m.Candidate.P99;
        yield return new CheckResult("shadow.p99-ms", Severity.Error, p99 <= g.MaxP99Ms ? CheckStatus.Passed : CheckStatus.Failed,
            $"candidate p99 {F(p99)} ms (p50 {F(m.Candidate.P50)}, p95 {F(m.Candidate.P95)}); maximum {F(g.MaxP99Ms)} ms",
            Observed: F(p99), Expected: $"<= {F(g.MaxP99Ms)}");
        if (g.MaxP99Ratio is { } ratio)
        {
            if (hasProduction && m.Production is { Count: > 0 } prod)
            {
                var observed = p99 / Math.Max(prod.P99, 0.001);
                yield return new CheckResult("shadow.p99-vs-production", Severity.Error, observed <= ratio ? CheckStatus.Passed : CheckStatus.Failed,
                    $"candidate p99 {F(p99)} ms is {F(observed)}× production's {F(prod.P99)} ms; maximum {F(ratio)}×", Observed: F(observed), Expected: $"<= {F(ratio)}");
            }
            else
            {
                yield return new CheckResult("shadow.p99-vs-production", Severity.Error, CheckStatus.Skipped, "nothing in production to compare with (first release): the absolute p99 gate applies");
            }
        }

        if (g.MinAgreement is { } agree)
        {
            if (hasProduction && m.Agreement is { } a)
            {
                yield return new CheckResult("shadow.agreement", Severity.Error, a >= agree ? CheckStatus.Passed : CheckStatus.Failed,
                    $"same label on {F(a * 100)}% of {m.Compared} requests (mean |score difference| {F(m.MeanAbsScoreDifference ?? double.NaN)}); minimum {F(agree * 100)}%. Disagreements: {DisagreementsFile}",
                    Observed: F(a), Expected: $">= {F(agree)}");
            }
            else
            {
                yield return new CheckResult("shadow.agreement", Severity.Error, hasProduction ? CheckStatus.Failed : CheckStatus.Skipped,
                    hasProduction ? "no request was answered with a label by both models; agreement cannot be measured" : "nothing in production to agree with (first release)");
            }
        }

        yield return new CheckResult("shadow.candidate-running", Severity.Error, status.Running && status.Restarts == 0 ? CheckStatus.Passed : CheckStatus.Failed,
            status.Running ? $"candidate still running, {status.Restarts} restarts, {(status.MemoryBytes ?? 0) / (1 << 20)} MiB resident" : "the candidate stopped during the shadow run; see its log",
            Observed: $"running={status.Running}, restarts={status.Restarts}", Expected: "running, 0 restarts");
    }

    private static int WriteDisagreements(string stageDir, IReadOnlyList<Exchange> exchanges)
    {
        var options = new JsonSerializerOptions(TollgateJson.Options) { WriteIndented = false };
        var sb = new StringBuilder();
        var n = 0;
        foreach (var e in exchanges.Where(e => e.Disagrees))
        {
            n++;
            sb.Append(JsonSerializer.Serialize(new { request = e.Request, truth = e.Truth, production = e.Production, candidate = e.Candidate }, options)).Append('\n');
        }

        AtomicFile.WriteAllText(Path.Combine(stageDir, DisagreementsFile), sb.ToString());
        return n;
    }

    private static Dictionary<string, double> Metrics(ShadowMeasurements m, DeploymentStatus status)
    {
        var d = new Dictionary<string, double>
        {
            ["requests"] = m.Requests,
            ["candidate.p50Ms"] = m.Candidate.P50,
            ["candidate.p95Ms"] = m.Candidate.P95,
            ["candidate.p99Ms"] = m.Candidate.P99,
            ["candidate.errorRate"] = m.CandidateErrorRate,
            ["candidate.restarts"] = status.Restarts,
        };
        void Put(string k, double? v)
        {
            if (v is { } x)
            {
                d[k] = x;
            }
        }

        Put("candidate.memoryMiB", status.MemoryBytes / (double)(1 << 20));
        Put("production.p50Ms", m.Production?.P50);
        Put("production.p95Ms", m.Production?.P95);
        Put("production.p99Ms", m.Production?.P99);
        Put("production.errorRate", m.ProductionErrorRate);
        Put("agreement", m.Agreement);
        Put("meanAbsScoreDifference", m.MeanAbsScoreDifference);
        Put("candidate.onlineAccuracy", m.CandidateAccuracy);
        Put("production.onlineAccuracy", m.ProductionAccuracy);
        return d;
    }

    private static string Summary(StageOutcome outcome, string candidate, string? production, ShadowMeasurements m, string source) =>
        $"{candidate} {(outcome == StageOutcome.Passed ? "passed" : "rejected in")} shadow {(production is null ? "alone (first release)" : "beside " + production)}: " +
        $"{m.Requests} requests from {source}, p99 {m.Candidate.P99.ToString("0.##", CultureInfo.InvariantCulture)} ms, errors {(m.CandidateErrorRate * 100).ToString("0.##", CultureInfo.InvariantCulture)}%" +
        (m.Agreement is { } a ? $", agreement {(a * 100).ToString("0.#", CultureInfo.InvariantCulture)}%" : string.Empty);
}
