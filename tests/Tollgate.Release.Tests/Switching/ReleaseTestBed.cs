using System.Text.Json.Nodes;
using Tollgate.Core.IO;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;
using Tollgate.Release.Deployment;
using Tollgate.Release.FrontDoor;
using Tollgate.Release.Switching;
using Tollgate.Release.Tests.Hosting;
using Tollgate.Testing;

namespace Tollgate.Release.Tests.Switching;

/// <summary>
/// A release store in a temp folder, the real front door and real model-server processes (the fake server) on
/// 127.0.0.1 ports of their own. Disposing stops every process it started.
/// </summary>
public sealed class ReleaseTestBed : IAsyncDisposable
{
    public const string Model = "m";

    /// <param name="drainSeconds">Drain after a switch.</param>
    /// <param name="warmStandby">Keep the rollback target running.</param>
    /// <param name="backend">The deployment backend for the store root; null: the fake server as local processes.</param>
    public ReleaseTestBed(double drainSeconds = 0, bool warmStandby = false, Func<string, IDeploymentBackend>? backend = null)
    {
        Dir = new TempDir("release");
        Store = new ReleaseStore(Dir.Combine("store"));
        var first = PortBlock.Next();
        Deploy = DeployOptions.Defaults with { FrontDoorPort = first + 19, FirstPort = first, LastPort = first + 9, ReadyTimeout = TimeSpan.FromSeconds(30) };
        Options = ReleaseOptions.Defaults with { Drain = TimeSpan.FromSeconds(drainSeconds), WarmStandby = warmStandby };
        Backend = backend?.Invoke(Store.Root) ?? new LocalProcessBackend(Store.Root, () => ("dotnet", [FakeServerDll]), TimeProvider.System);
        FrontDoor = new FrontDoorGateway(Store.ModelRoot(Model), Deploy.FrontDoorPort);
    }

    public static string FakeServerDll =>
        ProgramLocator.Locate("Tollgate.Release.FakeServer", "TOLLGATE_TEST_FAKE_SERVER_DLL")
        ?? throw new InvalidOperationException("Tollgate.Release.FakeServer.dll not built");

    public TempDir Dir { get; }

    public ReleaseStore Store { get; }

    public DeployOptions Deploy { get; }

    public ReleaseOptions Options { get; }

    public IDeploymentBackend Backend { get; }

    public FrontDoorGateway FrontDoor { get; }

    public List<string> LogLines { get; } = [];

    public ReleaseSwitcher Switcher() =>
        new(Store, Model, Backend, FrontDoor, Deploy, Options, NoReleaseAliases.Instance, new ListLog(LogLines), TimeProvider.System);

    /// <summary>A versioned release folder whose fake server behaves as <paramref name="fake"/> says.</summary>
    public ReleasedModel Release(string version, object? fake = null)
    {
        var dir = Dir.Combine("releases", version);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "candidate.json"), new JsonObject { ["model"] = Model, ["version"] = version, ["runId"] = "run-" + version, ["threshold"] = 0.5 }.ToJsonString());
        if (fake is not null)
        {
            TollgateJson.WriteFile(Path.Combine(dir, "fake.json"), fake);
        }

        return new ReleasedModel(Model, version, "run-" + version, dir);
    }

    public static SwitchRequest Promote(ReleasedModel target) =>
        new(ReleaseEvent.PromoteKind, target, "test", [new JsonObject { ["age"] = 30, ["job"] = "admin." }]);

    /// <summary>The version the front door serves, from <c>/v1/metadata</c> through it.</summary>
    public async Task<string?> FrontDoorVersionAsync()
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var json = JsonNode.Parse(await client.GetStringAsync(FrontDoor.Url + "/v1/metadata"));
        return (string?)json?["version"];
    }

    public async Task<int> RunningDeploymentsAsync()
    {
        var n = 0;
        foreach (var d in await Backend.ListAsync(Model, CancellationToken.None))
        {
            n += (await Backend.InspectAsync(d, CancellationToken.None)).Running ? 1 : 0;
        }

        return n;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in await Backend.ListAsync(Model, CancellationToken.None))
        {
            await Backend.StopAsync(d, TimeSpan.FromSeconds(2), CancellationToken.None);
        }

        await FrontDoor.StopAsync(CancellationToken.None);
        FrontDoor.Dispose();
        (Backend as IDisposable)?.Dispose();
        Dir.Dispose();
    }

    private sealed class ListLog(List<string> lines) : IStageLog
    {
        public void Info(string message)
        {
            lock (lines)
            {
                lines.Add(message);
            }
        }

        public void Warning(string message) => Info("warning: " + message);

        public void Progress(string step, double fraction)
        {
        }
    }
}
