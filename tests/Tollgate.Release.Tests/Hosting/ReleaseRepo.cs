using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Release.Deployment;
using Tollgate.Release.Hosting;
using Tollgate.Release.Switching;
using Tollgate.Release.Tests.Switching;
using Tollgate.Testing;

namespace Tollgate.Release.Tests.Hosting;

/// <summary>
/// A small repository in a temp folder: the bank example's model.yaml with ports of its own and a short shadow run,
/// its contract, the newest incoming dumps, and runs whose candidates the fake model server serves. Disposing stops
/// every process started against it.
/// </summary>
public sealed partial class ReleaseRepo : IAsyncDisposable
{
    public const string Model = "bank-marketing";

    /// <param name="shadowRequests">Shadow requests (and the gate's minimum).</param>
    /// <param name="backend">The deployment backend; null: the fake model server as local processes.</param>
    public ReleaseRepo(int shadowRequests = 40, Func<string, IDeploymentBackend>? backend = null)
    {
        Dir = new TempDir("release-repo");
        var first = PortBlock.Next();
        FrontDoorPort = first + 19;
        var yaml = File.ReadAllText(TestRepo.PathOf("models", Model, "model.yaml"));
        yaml = FrontDoorLine().Replace(yaml, $"frontDoorPort: {FrontDoorPort.ToString(CultureInfo.InvariantCulture)}");
        yaml = PortsLine().Replace(yaml, $"ports: {first}-{first + 9}");
        yaml = RequestsLine().Replace(yaml, $"requests: {shadowRequests}");
        yaml = MinRequestsLine().Replace(yaml, $"minRequests: {shadowRequests}");
        yaml = RateLine().Replace(yaml, "ratePerSecond: 400");
        yaml = DrainLine().Replace(yaml, "drainSeconds: 0");
        yaml = WarmUpLine().Replace(yaml, "warmUpRequests: 20");
        Directory.CreateDirectory(Dir.Combine("models", Model));
        File.WriteAllText(Dir.Combine("models", Model, "model.yaml"), yaml);
        Directory.CreateDirectory(Dir.Combine("data-contracts"));
        File.Copy(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"), Dir.Combine("data-contracts", "bank-marketing.odcs.yaml"));
        var incoming = Dir.Combine("data", "incoming", Model);
        Directory.CreateDirectory(incoming);
        foreach (var file in Directory.GetFiles(TestRepo.PathOf("data", "incoming", Model), "*.csv").OrderDescending().Take(30))
        {
            File.Copy(file, Path.Combine(incoming, Path.GetFileName(file)));
        }

        Spec = ModelSpecLoader.LoadByName(Dir.Path, Model);
        var storeRoot = Path.Combine(Dir.Path, "artifacts", "releases");
        Backend = backend?.Invoke(storeRoot) ?? new LocalProcessBackend(storeRoot, () => ("dotnet", [ReleaseTestBed.FakeServerDll]), TimeProvider.System);
    }

    public TempDir Dir { get; }

    public int FrontDoorPort { get; }

    public ModelSpec Spec { get; }

    public IDeploymentBackend Backend { get; }

    public List<string> LogLines { get; } = [];

    public ReleaseEnvironment Environment()
    {
        var errors = new SpecErrors();
        var env = ReleaseEnvironment.Create(Dir.Path, Spec, errors, new TestLog(LogLines), TimeProvider.System, NoReleaseAliases.Instance, Backend);
        errors.ThrowIfAny();
        return env;
    }

    /// <summary>A run whose candidate (served by the fake server, behaving as <paramref name="fake"/> says) passed every stage before <paramref name="upTo"/>.</summary>
    public RunDirectory Run(string version, object? fake = null, string upTo = StageName.Promote)
    {
        var runDir = Dir.Combine("artifacts", "runs", version);
        var run = RunDirectory.Create(runDir, new RunManifest
        {
            RunId = version,
            Model = Model,
            StartedAt = DateTimeOffset.UtcNow,
            GitCommit = "test",
            GitBranch = "test",
            ConfigHash = "test",
            ToolVersions = new Dictionary<string, string>(),
            Ci = new Dictionary<string, string>(),
        });
        Directory.CreateDirectory(run.CandidateDir);
        File.WriteAllText(Path.Combine(run.CandidateDir, "candidate.json"), new JsonObject { ["model"] = Model, ["version"] = version, ["runId"] = version, ["threshold"] = 0.5 }.ToJsonString());
        File.WriteAllText(Path.Combine(run.CandidateDir, "model.zip"), "not a model: the fake server does not load it");
        if (fake is not null)
        {
            TollgateJson.WriteFile(Path.Combine(run.CandidateDir, "fake.json"), fake);
        }

        foreach (var stage in StageName.Chain.TakeWhile(s => s != upTo))
        {
            run.WriteReport(new StageReport { Stage = stage, Model = Model, Outcome = StageOutcome.Passed, StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow, Summary = "test" });
        }

        return run;
    }

    public async Task<string?> FrontDoorVersionAsync()
    {
        using var probe = new ServerProbe();
        return (string?)(await probe.MetadataAsync($"http://127.0.0.1:{FrontDoorPort.ToString(CultureInfo.InvariantCulture)}", CancellationToken.None))?["version"];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in await Backend.ListAsync(Model, CancellationToken.None))
        {
            await Backend.StopAsync(d, TimeSpan.FromSeconds(2), CancellationToken.None);
        }

        using (var env = Environment())
        {
            await env.FrontDoor.StopAsync(CancellationToken.None);
        }

        (Backend as IDisposable)?.Dispose();
        Dir.Dispose();
    }

    [GeneratedRegex(@"frontDoorPort: \d+")]
    private static partial Regex FrontDoorLine();

    [GeneratedRegex(@"ports: \d+-\d+")]
    private static partial Regex PortsLine();

    [GeneratedRegex(@"(?<=\n  )requests: \d+")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"minRequests: \d+")]
    private static partial Regex MinRequestsLine();

    [GeneratedRegex(@"ratePerSecond: \d+")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"warmUpRequests: \d+")]
    private static partial Regex WarmUpLine();

    [GeneratedRegex(@"drainSeconds: \d+")]
    private static partial Regex DrainLine();

    private sealed class TestLog(List<string> lines) : IStageLog
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
