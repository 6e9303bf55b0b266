using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Releases;
using Tollgate.Release.Deployment;

namespace Tollgate.Release.FrontDoor;

/// <summary>
/// The model's stable address: a <c>Tollgate.Gateway</c> process on <c>127.0.0.1:&lt;frontDoorPort&gt;</c> that routes to
/// what <c>routes.json</c> names. Started on first use and left running (it holds no state of its own: restart it and
/// it reads the same file). A switch is one atomic write of that file, confirmed when the gateway reports the new generation.
/// </summary>
public sealed class FrontDoorGateway : IDisposable
{
    private readonly string modelRoot;
    private readonly Func<(string FileName, string[] Arguments)> program;
    private readonly HttpClient client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public FrontDoorGateway(string modelRoot, int port, Func<(string FileName, string[] Arguments)>? program = null)
    {
        this.modelRoot = modelRoot;
        Port = port;
        this.program = program ?? (() => ProgramLocator.Find("Tollgate.Gateway", "TOLLGATE_GATEWAY_DLL"));
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string RoutesPath => Path.Combine(modelRoot, GatewayRoutes.FileName);

    public string LogPath => Path.Combine(modelRoot, "gateway.log");

    /// <summary>How long a switch may take to be applied. <value>Default 10 s.</value></summary>
    public TimeSpan SwitchTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public void Dispose() => client.Dispose();

    /// <summary>The gateway's own report, or null when nothing answers on the port.</summary>
    public async Task<FrontDoorState?> StateAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFromJsonAsync<FrontDoorState>(Url + "/_tollgate/gateway", TollgateJson.Options, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Makes sure this model's gateway answers on the front-door port, starting it when nothing does.</summary>
    public async Task EnsureRunningAsync(CancellationToken cancellationToken)
    {
        var state = await StateAsync(cancellationToken);
        if (state is not null)
        {
            CheckOurs(state);
            return;
        }

        if (!PortAllocator.IsFree(Port))
        {
            throw new InfrastructureException(
                $"127.0.0.1:{Port}: the front-door port is taken by something that is not a Tollgate gateway. Free it or change deploy.frontDoorPort in model.yaml.");
        }

        if (!File.Exists(RoutesPath))
        {
            GatewayRoutes.Write(RoutesPath, new GatewayRoutes(0, null));
        }

        var (fileName, prefix) = program();
        var pid = DetachedProcess.Start(fileName, [.. prefix, "--routes", RoutesPath, "--urls", Url], LogPath);
        TollgateJson.WriteFile(Path.Combine(modelRoot, "gateway.json"), new { pid, port = Port, routes = RoutesPath, startedAt = DateTimeOffset.UtcNow });
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await StateAsync(cancellationToken) is { } started)
            {
                CheckOurs(started);
                return;
            }

            if (!DetachedProcess.IsAlive(pid, RoutesPath))
            {
                await Task.Delay(200, cancellationToken);
                if (!DetachedProcess.IsAlive(pid, RoutesPath) && await StateAsync(cancellationToken) is null)
                {
                    break;
                }
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new InfrastructureException($"the front door (pid {pid}) did not start on {Url}. Gateway log ({LogPath}):{Environment.NewLine}{DetachedProcess.Tail(LogPath)}");
    }

    /// <summary>Writes the changed routes and waits until the gateway serves them; returns what was written.</summary>
    public async Task<GatewayRoutes> SwitchAsync(Func<GatewayRoutes, GatewayRoutes> change, CancellationToken cancellationToken)
    {
        var current = ReadRoutes();
        var written = GatewayRoutes.Write(RoutesPath, change(current));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < SwitchTimeout)
        {
            if (await StateAsync(cancellationToken) is { } state && state.Generation >= written.Generation)
            {
                return written;
            }

            await Task.Delay(20, cancellationToken);
        }

        throw new InfrastructureException(
            $"the front door on {Url} did not apply {RoutesPath} generation {written.Generation} within {SwitchTimeout.TotalSeconds:0} s; see {LogPath}.");
    }

    /// <summary>The routes file as written (what the gateway serves once it has caught up).</summary>
    public GatewayRoutes ReadRoutes() => GatewayRoutes.TryRead(RoutesPath) ?? new GatewayRoutes(0, null);

    /// <summary>Stops the gateway process (benchmarks and tests; the pipeline leaves it running).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var record = Path.Combine(modelRoot, "gateway.json");
        if (File.Exists(record) && JsonDocument.Parse(await File.ReadAllTextAsync(record, cancellationToken)).RootElement.GetProperty("pid").GetInt32() is var pid)
        {
            await DetachedProcess.StopAsync(pid, RoutesPath, TimeSpan.FromSeconds(5), cancellationToken);
        }
    }

    private void CheckOurs(FrontDoorState state)
    {
        if (!string.Equals(Path.GetFullPath(state.RoutesFile), Path.GetFullPath(RoutesPath), StringComparison.Ordinal))
        {
            throw new InfrastructureException(
                $"127.0.0.1:{Port} is the front door of another model or store ({state.RoutesFile}); give this model its own deploy.frontDoorPort.");
        }
    }
}
