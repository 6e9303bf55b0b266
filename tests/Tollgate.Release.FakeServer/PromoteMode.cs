using System.Globalization;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;
using Tollgate.Release.Deployment;
using Tollgate.Release.FrontDoor;
using Tollgate.Release.Switching;

namespace Tollgate.Release.FakeServer;

/// <summary>
/// <c>promote --store S --model M --version V --release-dir D --front-door-port P --ports A-B --drain-seconds N</c>:
/// the real <see cref="ReleaseSwitcher"/> in a process of its own, with this program as the model server, so a test
/// can SIGKILL a promote at any step.
/// </summary>
public static class PromoteMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var store = new ReleaseStore(Arg("--store"));
        var model = Arg("--model");
        var ports = Arg("--ports").Split('-').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var deploy = DeployOptions.Defaults with { FrontDoorPort = int.Parse(Arg("--front-door-port"), CultureInfo.InvariantCulture), FirstPort = ports[0], LastPort = ports[1] };
        var options = ReleaseOptions.Defaults with { Drain = TimeSpan.FromSeconds(double.Parse(Arg("--drain-seconds"), CultureInfo.InvariantCulture)) };
        var self = typeof(PromoteMode).Assembly.Location;
        var backend = new LocalProcessBackend(store.Root, () => ("dotnet", [self]), TimeProvider.System);
        using var frontDoor = new FrontDoorGateway(store.ModelRoot(model), deploy.FrontDoorPort);
        var switcher = new ReleaseSwitcher(store, model, backend, frontDoor, deploy, options, NoReleaseAliases.Instance, new ConsoleLog(), TimeProvider.System);
        var version = Arg("--version");
        var result = await switcher.SwitchAsync(
            new SwitchRequest(ReleaseEvent.PromoteKind, new ReleasedModel(model, version, "run-" + version, Arg("--release-dir")), "crash test", [new() { ["age"] = 30 }]),
            CancellationToken.None);
        Console.WriteLine(result.Message);
        return result.Failure is null ? 0 : 3;
    }

    private sealed class ConsoleLog : IStageLog
    {
        public void Info(string message) => Console.WriteLine(message);

        public void Warning(string message) => Console.WriteLine("warning: " + message);

        public void Progress(string step, double fraction)
        {
        }
    }
}
