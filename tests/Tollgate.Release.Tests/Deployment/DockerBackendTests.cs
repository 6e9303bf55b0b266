using Docker.DotNet;
using Docker.DotNet.Models;
using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.Releases;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;
using Tollgate.Release.Deployment;
using Tollgate.Release.Docker;
using Tollgate.Release.Tests.Hosting;
using Tollgate.Release.Tests.Images;
using Tollgate.Testing;

namespace Tollgate.Release.Tests.Deployment;

/// <summary>The Docker backend on the real engine, running the real image Build-Image built and pushed (the shared fixture).</summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerBackendTests
{
    private const string Model = "bank-marketing";
    private readonly ImageBuildFixture fixture;

    public DockerBackendTests(ImageBuildFixture fixture)
    {
        this.fixture = fixture;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_RequestWithoutImage_ThrowsConfigurationSayingWhatToDo()
    {
        using var dir = new TempDir("docker-backend");
        using var backend = new DockerBackend(new Uri($"unix:///tmp/tollgate-no-docker-{Guid.NewGuid():N}.sock"), dir.Path, TimeProvider.System);

        var ex = await Should.ThrowAsync<ConfigurationException>(() => backend.StartAsync(new DeploymentRequest(Model, "v1", dir.Combine("releases", "v1"), null, 20001, "shadow", null), Ct));

        ex.ExitCode.ShouldBe(ExitCode.Configuration);
        ex.Message.ShouldContain("has no image");
        ex.Message.ShouldContain("TOLLGATE_REGISTRY");
        ex.Message.ShouldContain("deploy.backend: local");
    }

    [Fact]
    public async Task ListAsync_NoEngine_ThrowsInfrastructureNamingTheEndpoint()
    {
        using var dir = new TempDir("docker-backend");
        var endpoint = new Uri($"unix:///tmp/tollgate-no-docker-{Guid.NewGuid():N}.sock");
        using var backend = new DockerBackend(endpoint, dir.Path, TimeProvider.System);

        var ex = await Should.ThrowAsync<InfrastructureException>(() => backend.ListAsync(Model, Ct));

        ex.ExitCode.ShouldBe(ExitCode.InfrastructureUnavailable);
        ex.Message.ShouldContain(endpoint.ToString());
    }

    [Fact]
    public async Task StartAsync_RealImage_RunsLabelledHostNetworkContainerThatListInspectAndStopSee()
    {
        var builds = await RequireBuildsAsync();
        using var dir = new TempDir("docker-backend");
        using var backend = new DockerBackend(DockerEndpoint.Resolve(), dir.Path, TimeProvider.System);
        var port = PortBlock.Next();
        var logDir = dir.Combine("serving-log", builds.First.Version);
        var request = new DeploymentRequest(Model, builds.First.Version, dir.Combine("releases", builds.First.Version), builds.First.ReferenceByDigest, port, "shadow", logDir);

        var deployment = await backend.StartAsync(request, Ct);
        try
        {
            deployment.Name.ShouldBe($"{Model}-{builds.First.Version}-{port}");
            deployment.Url.ShouldBe($"http://127.0.0.1:{port}");
            deployment.Backend.ShouldBe("docker");
            using var probe = new ServerProbe();
            (await probe.WaitReadyAsync(deployment.Url, TimeSpan.FromSeconds(60), async () => (await backend.InspectAsync(deployment, Ct)).Running, Ct))
                .ShouldBeNull("the container's server must bind 127.0.0.1:<port> on the host network and become ready");
            (await probe.SmokeAsync(deployment.Url, RealCandidateRows(), Ct)).ShouldBeNull();
            ((string?)(await probe.MetadataAsync(deployment.Url, Ct))?["version"]).ShouldBe(builds.First.Version);

            var listed = (await backend.ListAsync(Model, Ct)).Single(d => d.Name == deployment.Name);
            listed.ShouldBe(deployment with { StartedAt = listed.StartedAt }, "the labels alone give back the deployment: the containers are the state");
            using (var otherStore = new DockerBackend(DockerEndpoint.Resolve(), dir.Combine("another-store"), TimeProvider.System))
            {
                (await otherStore.ListAsync(Model, Ct)).ShouldNotContain(d => d.Name == deployment.Name, "a backend of another release store never lists, reuses or stops it");
            }

            var status = await backend.InspectAsync(deployment, Ct);
            status.Running.ShouldBeTrue();
            status.Restarts.ShouldBe(0);
            status.MemoryBytes!.Value.ShouldBeGreaterThan(10L * 1024 * 1024, "memory of the running server is reported");

            using var client = new DockerClientConfiguration(DockerEndpoint.Resolve()).CreateClient();
            var container = await client.Containers.InspectContainerAsync(deployment.Handle, Ct);
            container.HostConfig.NetworkMode.ShouldBe("host");
            container.HostConfig.RestartPolicy.Name.ShouldBe(RestartPolicyKind.OnFailure);
            container.HostConfig.RestartPolicy.MaximumRetryCount.ShouldBe(DockerBackend.MaxRestarts);
            container.Config.Labels[DockerLabels.Role].ShouldBe("shadow");
            container.Config.Labels[DockerLabels.Image].ShouldBe(builds.First.ReferenceByDigest);
            container.Config.Labels[DockerLabels.Store].ShouldBe(dir.Path);
            container.Mounts.ShouldContain(m => m.Source == logDir && m.Destination == DockerBackend.ContainerLogDir, "the serving log lands on the host");

            (await backend.StartAsync(request, Ct)).Handle.ShouldBe(deployment.Handle, "starting what already runs from the same image returns it as is");

            (await backend.SetPriorityAsync(deployment, DeploymentPriority.Low, Ct)).ShouldBeTrue();
            (await client.Containers.InspectContainerAsync(deployment.Handle, Ct)).HostConfig.CPUShares.ShouldBe(DockerBackend.LowCpuShares, "a shadow gets a quarter of the default CPU weight");
            (await backend.SetPriorityAsync(deployment, DeploymentPriority.Normal, Ct)).ShouldBeTrue();
            (await client.Containers.InspectContainerAsync(deployment.Handle, Ct)).HostConfig.CPUShares.ShouldBe(1024, "promoted: the default weight again");
        }
        finally
        {
            await backend.StopAsync(deployment, TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        (await backend.ListAsync(Model, Ct)).ShouldNotContain(d => d.Name == deployment.Name, "stop removes the container");
        (await backend.InspectAsync(deployment, Ct)).Running.ShouldBeFalse();
        File.ReadAllText(deployment.Log).ShouldContain("127.0.0.1:" + port, customMessage: "the stopped container's output is kept for failure messages");
        await backend.StopAsync(deployment, TimeSpan.FromSeconds(5), Ct); // a second stop is a no-op
    }

    [Fact]
    public async Task StartAsync_StaleContainerOfSameName_RemovesItAndStartsAfresh()
    {
        var builds = await RequireBuildsAsync();
        using var dir = new TempDir("docker-backend");
        using var backend = new DockerBackend(DockerEndpoint.Resolve(), dir.Path, TimeProvider.System);
        var request = new DeploymentRequest(Model, builds.First.Version, dir.Combine("releases", builds.First.Version), builds.First.ReferenceByDigest, PortBlock.Next(), "production", null);
        var first = await backend.StartAsync(request, Ct);
        Tollgate.Release.Deployment.Deployment? second = null;
        try
        {
            using (var client = new DockerClientConfiguration(DockerEndpoint.Resolve()).CreateClient())
            {
                await client.Containers.StopContainerAsync(first.Handle, new ContainerStopParameters { WaitBeforeKillSeconds = 1 }, Ct);
            }

            (await backend.InspectAsync(first, Ct)).Running.ShouldBeFalse();

            second = await backend.StartAsync(request, Ct);

            second.Name.ShouldBe(first.Name);
            second.Handle.ShouldNotBe(first.Handle, "the stopped leftover is replaced, not returned");
            (await backend.ListAsync(Model, Ct)).Count(d => d.Name == first.Name).ShouldBe(1);
            using var probe = new ServerProbe();
            (await probe.WaitReadyAsync(second.Url, TimeSpan.FromSeconds(60), async () => (await backend.InspectAsync(second, Ct)).Running, Ct)).ShouldBeNull();
        }
        finally
        {
            await backend.StopAsync(second ?? first, TimeSpan.FromSeconds(5), CancellationToken.None);
        }
    }

    [Fact]
    public void Select_DockerConfiguredAndEngineAnswers_ReturnsTheDockerBackend()
    {
        Infrastructure.RequireDocker();
        using var dir = new TempDir("docker-backend");

        var backend = BackendSelector.Select(DeployOptions.Defaults with { Backend = "docker" }, new ReleaseStore(dir.Path), NullStageLog.Instance, TimeProvider.System);

        backend.ShouldBeOfType<DockerBackend>().Name.ShouldBe("docker");
        ((IDisposable)backend).Dispose();
    }

    private static List<System.Text.Json.Nodes.JsonObject> RealCandidateRows() => [.. Serving.Tests.Support.RealCandidate.BankRequestRows(3)];

    private async Task<ImageBuilds> RequireBuildsAsync()
    {
        Infrastructure.RequireDocker();
        Infrastructure.RequireRegistry();
        return await fixture.GetAsync();
    }
}
