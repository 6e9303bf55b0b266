using System.Diagnostics;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;
using Tollgate.Release.Deployment;
using Tollgate.Release.FrontDoor;

namespace Tollgate.Release.Switching;

/// <summary>
/// Puts a version into production through the front door — the one code path of Promote and Rollback. Under the
/// model's release lock it journals each step to <c>pending.json</c> before taking it:
/// <list type="number">
/// <item>Starting: the target starts beside production (or a running shadow of it is reused) and must answer
/// <c>/health/ready</c> and a smoke set; production is untouched.</item>
/// <item>Switching: one atomic write of <c>routes.json</c>, confirmed by the gateway.</item>
/// <item>Switched: history appended, <c>production.json</c> written, alias moved, the old version drained and stopped.</item>
/// </list>
/// A run killed at any point leaves the old or the new version serving (the old one is stopped only after the switch);
/// the next run finds the journal and finishes a switched operation or undoes an unswitched one.
/// </summary>
public sealed class ReleaseSwitcher
{
    private readonly ReleaseStore store;
    private readonly string model;
    private readonly IDeploymentBackend backend;
    private readonly FrontDoorGateway frontDoor;
    private readonly DeployOptions deploy;
    private readonly ReleaseOptions options;
    private readonly IReleaseAliases aliases;
    private readonly IStageLog log;
    private readonly TimeProvider time;

    public ReleaseSwitcher(
        ReleaseStore store,
        string model,
        IDeploymentBackend backend,
        FrontDoorGateway frontDoor,
        DeployOptions deploy,
        ReleaseOptions options,
        IReleaseAliases aliases,
        IStageLog log,
        TimeProvider time)
    {
        this.store = store;
        this.model = model;
        this.backend = backend;
        this.frontDoor = frontDoor;
        this.deploy = deploy;
        this.options = options;
        this.aliases = aliases;
        this.log = log;
        this.time = time;
    }

    private string ModelRoot => store.ModelRoot(model);

    private ReleaseJournal Journal => new(ModelRoot);

    /// <summary>Takes the lock, recovers any killed operation, then switches production to the request's target.</summary>
    public Task<SwitchResult> SwitchAsync(SwitchRequest request, CancellationToken cancellationToken) =>
        SwitchAsync($"{request.Kind} {model} to {request.Target.Version}", () => request, cancellationToken);

    /// <summary>
    /// Takes the lock, recovers, then asks <paramref name="resolve"/> for the request — so a rollback picks its target
    /// from the history as it is under the lock, not as it was before another pipeline finished.
    /// </summary>
    public async Task<SwitchResult> SwitchAsync(string operation, Func<SwitchRequest> resolve, CancellationToken cancellationToken)
    {
        using var held = ReleaseLock.Acquire(ModelRoot, operation);
        var recovered = await RecoverAsync(cancellationToken);
        var request = resolve();
        await frontDoor.EnsureRunningAsync(cancellationToken);
        return await SwitchLockedAsync(request, recovered, cancellationToken);
    }

    /// <summary>Takes the lock and only recovers (the verbs call it before deciding anything; Shadow-Deploy too).</summary>
    public async Task<string?> RecoverWithLockAsync(CancellationToken cancellationToken)
    {
        using var held = ReleaseLock.Acquire(ModelRoot, $"recover {model}");
        return await RecoverAsync(cancellationToken);
    }

    /// <summary>Finishes or undoes an operation a killed run left in <c>pending.json</c>. Caller holds the lock.</summary>
    public async Task<string?> RecoverAsync(CancellationToken cancellationToken)
    {
        var pending = Journal.TryRead();
        if (pending is null)
        {
            return null;
        }

        var routes = frontDoor.ReadRoutes();
        var switched = pending.Step == ReleaseStep.Switched
            || (pending.ToDeployment is not null && routes.Production?.Deployment == pending.ToDeployment);
        string message;
        if (switched)
        {
            await frontDoor.EnsureRunningAsync(cancellationToken);
            await FinishAsync(pending, [], cancellationToken);
            message = $"finished an interrupted {pending.Kind} to {pending.To.Version} (started {pending.StartedAt:u}, killed at step {pending.Step}): the front door already served it";
        }
        else
        {
            if (pending.ToDeployment is { } name && routes.Shadow?.Deployment != name)
            {
                foreach (var d in (await backend.ListAsync(model, cancellationToken)).Where(d => d.Name == name))
                {
                    await backend.StopAsync(d, TimeSpan.FromSeconds(5), cancellationToken);
                }
            }

            Journal.Clear();
            message = $"undid an interrupted {pending.Kind} to {pending.To.Version} (started {pending.StartedAt:u}, killed at step {pending.Step}): production stayed on {pending.From?.Version ?? "nothing"}";
        }

        log.Warning(message);
        return message;
    }

    private async Task<SwitchResult> SwitchLockedAsync(SwitchRequest request, string? recovered, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var target = request.Target;
        var production = store.TryGetProduction(model);
        var routes = frontDoor.ReadRoutes();
        var deployments = await backend.ListAsync(model, ct);
        var running = new List<Deployment.Deployment>();
        foreach (var d in deployments)
        {
            if ((await backend.InspectAsync(d, ct)).Running)
            {
                running.Add(d);
            }
        }

        using var probe = new ServerProbe();
        if (production?.Version == target.Version && routes.Production?.Version == target.Version
            && running.FirstOrDefault(d => d.Name == routes.Production.Deployment) is { } serving
            && await probe.WaitReadyAsync(serving.Url, TimeSpan.FromSeconds(2), () => Task.FromResult(true), ct) is null)
        {
            return new SwitchResult(false, null, production, production, $"{target.Version} is already in production and serving; nothing to do", recovered, clock.Elapsed, []);
        }

        var pending = new PendingRelease(
            Guid.NewGuid().ToString("N"), request.Kind, ReleaseStep.Starting, production, target,
            routes.Production?.Deployment, null, ReleaseActor.Current(), request.Reason, time.GetUtcNow());
        Journal.Write(pending);

        // Reuse a running deployment of the target (the shadow of a promote, a warm standby); else start one on a free
        // port. A shadow ran at low CPU priority: production runs at normal, and where that cannot be restored (a local
        // process without root) a fresh one is started instead.
        var reused = running.FirstOrDefault(d => d.Version == target.Version);
        if (reused is not null && !await backend.SetPriorityAsync(reused, DeploymentPriority.Normal, ct))
        {
            log.Warning($"{reused.Name} runs at low CPU priority and this user cannot raise it (that needs root); starting {target.Version} afresh instead");
            reused = null;
        }

        var deployment = reused ?? await backend.StartAsync(
            new DeploymentRequest(model, target.Version, target.ModelDir, target.ImageDigest, PortAllocator.Next(deploy.FirstPort, deploy.LastPort, running.Select(d => d.Port)), request.Kind, ServingLogDir(target.Version)),
            ct);
        pending = pending with { ToDeployment = deployment.Name };
        Journal.Write(pending);
        log.Info(reused is null ? $"started {target.Version} as {deployment.Name} on {deployment.Url}" : $"reusing running {deployment.Name} on {deployment.Url}");

        var problem = await probe.WaitReadyAsync(deployment.Url, deploy.ReadyTimeout, async () => (await backend.InspectAsync(deployment, ct)).Running, ct)
            ?? await probe.SmokeAsync(deployment.Url, request.SmokeRows, ct);
        if (problem is not null)
        {
            if (reused is null)
            {
                await backend.StopAsync(deployment, TimeSpan.FromSeconds(5), ct);
            }

            Journal.Clear();
            var failure = $"{target.Version} could not take traffic: {problem}; production stays on {production?.Version ?? "nothing"}. Log: {deployment.Log}";
            return new SwitchResult(false, failure, production, production, failure, recovered, clock.Elapsed, []);
        }

        Journal.Write(pending = pending with { Step = ReleaseStep.Switching });
        await frontDoor.SwitchAsync(
            r => r with
            {
                Production = new GatewayUpstream(target.Version, deployment.Url, deployment.Name),
                Shadow = r.Shadow?.Deployment == deployment.Name || r.Shadow?.Version == target.Version ? null : r.Shadow, // a shadow replaced by a fresh start goes too
            },
            ct);
        var elapsed = clock.Elapsed;
        log.Info($"front door {frontDoor.Url} now serves {target.Version} ({elapsed.TotalSeconds:0.00} s after start)");
        Journal.Write(pending = pending with { Step = ReleaseStep.Switched });

        var notes = new List<string>();
        await FinishAsync(pending, notes, ct);
        var verb = request.Kind == ReleaseEvent.RollbackKind ? "rolled back" : "promoted";
        return new SwitchResult(true, null, production, target, $"{verb} {model} from {production?.Version ?? "nothing"} to {target.Version}", recovered, elapsed, notes);
    }

    /// <summary>The step after the switch: record, move the alias, drain and stop the old version. Safe to repeat.</summary>
    private async Task FinishAsync(PendingRelease pending, List<string> notes, CancellationToken ct)
    {
        new ReleaseHistory(ModelRoot).Append(new ReleaseEvent(
            pending.Id, pending.Kind, pending.To, pending.From?.Version, pending.Actor, time.GetUtcNow(), pending.Reason));
        store.SetProduction(pending.To);
        try
        {
            notes.Add(await aliases.MoveAsync("champion", pending.To, ct));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store is the source of truth and production already switched: a registry outage must not undo that.
            notes.Add($"alias 'champion' not moved ({ex.Message}); move it by hand or re-run");
            log.Warning(notes[^1]);
        }

        if (options.Drain > TimeSpan.Zero)
        {
            await Task.Delay(options.Drain, ct);
        }

        // Everything of this model that is neither production, shadow nor the warm standby goes: the old version (unless
        // it is the standby), and orphans of killed runs.
        var routes = frontDoor.ReadRoutes();
        var standby = options.WarmStandby ? new ReleaseLineage(new ReleaseHistory(ModelRoot).ReadAll()).RollbackTarget?.Version : null;
        foreach (var d in await backend.ListAsync(model, ct))
        {
            if (d.Version == standby && d.Name != routes.Production?.Deployment && d.Name != routes.Shadow?.Deployment && (await backend.InspectAsync(d, ct)).Running)
            {
                notes.Add($"kept {d.Name} running as the warm standby: a rollback to {standby} is a front-door switch");
                log.Info(notes[^1]);
                standby = null; // one standby is enough
                continue;
            }

            if (d.Name != routes.Production?.Deployment && d.Name != routes.Shadow?.Deployment)
            {
                await backend.StopAsync(d, TimeSpan.FromSeconds(10), ct);
                notes.Add($"stopped {d.Name} ({d.Version})");
                log.Info(notes[^1]);
            }
        }

        Journal.Clear();
    }

    private string ServingLogDir(string version) => Path.Combine(ModelRoot, "serving-log", version);
}
