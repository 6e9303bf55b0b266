using System.Globalization;
using Tollgate.Core.IO;

namespace Tollgate.Release.Deployment;

/// <summary>
/// The embedded backend for machines without Docker: each version is the model server (<c>Tollgate.Serving</c>) run
/// as a detached process from its versioned release folder, bound to 127.0.0.1. Deployments are recorded as JSON files
/// under <c>&lt;store&gt;/&lt;model&gt;/deployments/</c>, so any later pipeline step finds and stops them.
/// </summary>
public sealed class LocalProcessBackend : IDeploymentBackend
{
    private readonly string storeRoot;
    private readonly Func<(string FileName, string[] Arguments)> server;
    private readonly TimeProvider time;

    /// <param name="storeRoot">The release store root.</param>
    /// <param name="server">The server command (resolved lazily, so listing and stopping work without a built server).</param>
    /// <param name="time">Clock.</param>
    public LocalProcessBackend(string storeRoot, Func<(string FileName, string[] Arguments)> server, TimeProvider time)
    {
        this.storeRoot = storeRoot;
        this.server = server;
        this.time = time;
    }

    public string Name => "local";

    /// <summary>The model server from the build output or <c>TOLLGATE_SERVING_DLL</c>.</summary>
    public static Func<(string FileName, string[] Arguments)> DefaultServer =>
        () => ProgramLocator.Find("Tollgate.Serving", "TOLLGATE_SERVING_DLL");

    public Task<Deployment> StartAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        var name = $"{request.Model}-{request.Version}-{request.Port.ToString(CultureInfo.InvariantCulture)}";
        var dir = Folder(request.Model);
        var existing = TryRead(Path.Combine(dir, name + ".json"));
        if (existing is not null && DetachedProcess.IsAlive(int.Parse(existing.Handle, CultureInfo.InvariantCulture), request.ReleaseDir))
        {
            return Task.FromResult(existing);
        }

        var url = $"http://127.0.0.1:{request.Port.ToString(CultureInfo.InvariantCulture)}";
        // A release folder packaged by Build-Image carries its own server (server/Tollgate.Serving, self-contained):
        // run that one, so a rollback brings back the server that was released with the model, not today's build.
        var packaged = Path.Combine(request.ReleaseDir, "server", Images.ServerPublisher.Executable);
        var (fileName, prefix) = File.Exists(packaged) ? (packaged, []) : server();
        List<string> args = [.. prefix, "--candidate", request.ReleaseDir, "--urls", url];
        if (request.ServingLogDir is { } logDir)
        {
            args.AddRange(["--log-dir", logDir]);
        }

        var log = Path.Combine(dir, name + ".log");
        var pid = DetachedProcess.Start(fileName, args, log);
        var deployment = new Deployment(name, request.Model, request.Version, url, request.Port, Name, pid.ToString(CultureInfo.InvariantCulture), time.GetUtcNow(), log);
        TollgateJson.WriteFile(Path.Combine(dir, name + ".json"), new LocalProcessRecord(deployment, request.ReleaseDir));
        return Task.FromResult(deployment);
    }

    public Task<IReadOnlyList<Deployment>> ListAsync(string model, CancellationToken cancellationToken)
    {
        var dir = Folder(model);
        IReadOnlyList<Deployment> list = Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.json").Select(TryRead).OfType<Deployment>().OrderBy(d => d.StartedAt).ToList()
            : [];
        return Task.FromResult(list);
    }

    public Task<DeploymentStatus> InspectAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        var record = TryReadRecord(RecordPath(deployment));
        var pid = int.Parse(deployment.Handle, CultureInfo.InvariantCulture);
        var running = record is not null && DetachedProcess.IsAlive(pid, record.ReleaseDir);
        return Task.FromResult(new DeploymentStatus(running, 0, running ? DetachedProcess.ResidentBytes(pid) : null));
    }

    public Task<bool> SetPriorityAsync(Deployment deployment, DeploymentPriority priority, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return Task.FromResult(ProcessPriority.TrySet(int.Parse(deployment.Handle, CultureInfo.InvariantCulture), priority));
    }

    public async Task StopAsync(Deployment deployment, TimeSpan grace, CancellationToken cancellationToken)
    {
        var path = RecordPath(deployment);
        if (TryReadRecord(path) is { } record)
        {
            await DetachedProcess.StopAsync(int.Parse(deployment.Handle, CultureInfo.InvariantCulture), record.ReleaseDir, grace, cancellationToken);
        }

        File.Delete(path);
    }

    private string Folder(string model) => Path.Combine(storeRoot, model, "deployments");

    private string RecordPath(Deployment d) => Path.Combine(Folder(d.Model), d.Name + ".json");

    private static Deployment? TryRead(string path) => TryReadRecord(path)?.Deployment;

    private static LocalProcessRecord? TryReadRecord(string path)
    {
        try
        {
            return File.Exists(path) ? TollgateJson.ReadFile<LocalProcessRecord>(path) : null;
        }
        catch (Core.Errors.ConfigurationException)
        {
            return null; // a torn record is treated as gone; the process, if any, is found by port conflicts
        }
    }
}
