using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Releases;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Release.Images;
using Tollgate.Serving.Tests.Support;
using Tollgate.Testing;

namespace Tollgate.Release.Tests.Images;

/// <summary>Build-Image without an engine: exit 4 on the docker backend, a release folder on the local one.</summary>
public sealed class BuildImageStageTests
{
    private static readonly Func<string, string?> NoEngine = k => k == "DOCKER_HOST" ? $"unix:///tmp/tollgate-no-docker-{Guid.NewGuid():N}.sock" : null;

    [Fact]
    public async Task RunAsync_DockerBackendWithoutEngine_ThrowsInfrastructureNamingDockerHost()
    {
        var run = await RealCandidate.GetAsync();
        using var temp = new TempDir();
        var request = Request(run, new BuildImageOptions { Backend = "docker", Registry = "127.0.0.1:5000", EngineTimeout = TimeSpan.FromSeconds(2) }, temp, NoEngine);
        var ex = await Should.ThrowAsync<InfrastructureException>(() => BuildImageStage.RunAsync(request, TestContext.Current.CancellationToken));
        ex.ExitCode.ShouldBe(ExitCode.InfrastructureUnavailable);
        ex.Message.ShouldContain("DOCKER_HOST");
    }

    [Fact]
    public async Task RunAsync_LocalBackend_PackagesServerAndModelAsVersionedReleaseFolder()
    {
        var run = await RealCandidate.GetAsync();
        using var temp = new TempDir();
        // A stand-in for the published server: packaging copies whatever dotnet publish produced.
        var server = temp.Combine("published");
        Directory.CreateDirectory(server);
        File.WriteAllText(Path.Combine(server, ServerPublisher.Executable), "#!/bin/sh\n");
        var request = Request(run, new BuildImageOptions { Backend = "local", ServerPublishDir = server }, temp, NoEngine);

        var report = await BuildImageStage.RunAsync(request, TestContext.Current.CancellationToken);

        report.Outcome.ShouldBe(StageOutcome.Passed);
        var result = TollgateJson.ReadFile<BuildImageResult>(Path.Combine(run.Root, StageName.BuildImage, BuildImageResult.FileName));
        result.Kind.ShouldBe("release-folder");
        result.ReleaseFolder.ShouldNotBeNull();
        result.ReleaseFolder.ShouldEndWith(Path.Combine("releases", result.Version));
        File.Exists(Path.Combine(result.ReleaseFolder, "model.zip")).ShouldBeTrue();
        File.Exists(Path.Combine(result.ReleaseFolder, "contract.odcs.yaml")).ShouldBeTrue();
        File.Exists(Path.Combine(result.ReleaseFolder, "server", ServerPublisher.Executable)).ShouldBeTrue();
    }

    [Fact]
    public void FromSpec_EnvironmentOverrides_WinOverModelYaml()
    {
        var spec = ModelSpecLoader.LoadByName(TestRepo.Root, "bank-marketing");
        var errors = new SpecErrors();
        var env = new Dictionary<string, string> { ["TOLLGATE_REGISTRY"] = "127.0.0.1:5999", ["TOLLGATE_BASE_IMAGE"] = "tollgate/base-offline:bookworm" };
        var options = BuildImageOptions.FromSpec(spec, k => env.GetValueOrDefault(k), errors);
        errors.Count.ShouldBe(0, string.Join("; ", errors.All));
        options.Registry.ShouldBe("127.0.0.1:5999");
        options.BaseImage.ShouldBe("tollgate/base-offline:bookworm");
        options.Backend.ShouldBe("auto");
    }

    private static BuildImageRequest Request(Core.Runs.RunDirectory run, BuildImageOptions options, TempDir temp, Func<string, string?> env) =>
        new(TestRepo.Root, ModelSpecLoader.LoadByName(TestRepo.Root, "bank-marketing"), run, options, new ReleaseStore(temp.Combine("releases")), NullStageLog.Instance, TimeProvider.System, env);
}
