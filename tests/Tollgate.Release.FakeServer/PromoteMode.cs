using System.Globalization;
using System.Text.Json.Nodes;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;
using Tollgate.Release.Docker;
using Tollgate.Release.Deployment;
using Tollgate.Release.FrontDoor;
using Tollgate.Release.Switching;

namespace Tollgate.Release.FakeServer;

/// <summary>
/// <c>promote --store S --model M --version V --release-dir D --front-door-port P --ports A-B --drain-seconds N [--image REF --smoke-file F]</c>:
/// the real <see cref="ReleaseSwitcher"/> in a process of its own, with this program as the model server — or, given
/// <c>--image</c>, the real image on the Docker backend — so a test can SIGKILL a promote at any step.
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
        var image = Array.IndexOf(args, "--image") >= 0 ? Arg("--image") : null;
        IDeploymentBackend backend = image is null
            ? new LocalProcessBackend(store.Root, () => ("dotnet", [self]), TimeProvider.System)
            : new DockerBackend(DockerEndpoint.Resolve(), store.Root, TimeProvider.System);
        using var frontDoor = new FrontDoorGateway(store.ModelRoot(model), deploy.FrontDoorPort);
        var switcher = new ReleaseSwitcher(store, model, backend, frontDoor, deploy, options, NoReleaseAliases.Instance, new ConsoleLog(), TimeProvider.System);
        var version = Arg("--version");
        // The real server validates rows against the contract: a Docker test passes real rows (a JSON array) to smoke with.
        List<JsonObject> smoke = Array.IndexOf(args, "--smoke-file") >= 0
            ? [.. JsonNode.Parse(File.ReadAllText(Arg("--smoke-file")))!.AsArray().Select(n => n!.AsObject())]
            : [new() { ["age"] = 30 }];
        var result = await switcher.SwitchAsync(
            new SwitchRequest(ReleaseEvent.PromoteKind, new ReleasedModel(model, version, "run-" + version, Arg("--release-dir"), image), "crash test", smoke),
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
