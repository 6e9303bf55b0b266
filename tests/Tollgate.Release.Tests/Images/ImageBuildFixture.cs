using Tollgate.Core.IO;
using Tollgate.Core.Releases;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Release.Docker;
using Tollgate.Release.Images;
using Tollgate.Serving.Tests.Support;
using Tollgate.Testing;

namespace Tollgate.Release.Tests.Images;

/// <summary>
/// Builds real images once for all Build-Image tests (builds are slow on 2 cores): the server is published once,
/// then a candidate and a "retrain" of it (one more boosting iteration) are each built and pushed to the registry.
/// The builds start on first use, after the test has passed Infrastructure.RequireDocker/RequireRegistry.
/// </summary>
public sealed class ImageBuildFixture : IDisposable
{
    private readonly TempDir temp = new("build-image");
    private readonly Lazy<Task<ImageBuilds>> builds;

    public ImageBuildFixture()
    {
        builds = new Lazy<Task<ImageBuilds>>(BuildAllAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public Task<ImageBuilds> GetAsync() => builds.Value;

    public static Task<DockerEngine> EngineAsync() =>
        DockerEngine.ConnectAsync(DockerEndpoint.Resolve(), TimeSpan.FromSeconds(5), CancellationToken.None);

    public void Dispose() => temp.Dispose();

    private async Task<ImageBuilds> BuildAllAsync()
    {
        var spec = ModelSpecLoader.LoadByName(TestRepo.Root, "bank-marketing");
        var options = new BuildImageOptions
        {
            Backend = "docker",
            Registry = Infrastructure.Registry,
            BaseImage = Environment.GetEnvironmentVariable("TOLLGATE_BASE_IMAGE") ?? "tollgate/base-offline:bookworm",
            ServerPublishDir = await ServerPublisher.PublishAsync(TestRepo.Root, temp.Combine("server"), NullStageLog.Instance, CancellationToken.None),
        };
        var firstRun = await RealCandidate.GetAsync(iterations: 40);
        var retrainRun = await RealCandidate.GetAsync(iterations: 41);
        var report = await BuildAsync(spec, firstRun, options);
        await BuildAsync(spec, retrainRun, options);
        return new ImageBuilds(firstRun, report, Read(firstRun), Read(retrainRun));
    }

    private async Task<StageReport> BuildAsync(ModelSpec spec, RunDirectory run, BuildImageOptions options) =>
        await BuildImageStage.RunAsync(
            new BuildImageRequest(TestRepo.Root, spec, run, options, new ReleaseStore(temp.Combine("releases")), NullStageLog.Instance, TimeProvider.System, Environment.GetEnvironmentVariable),
            CancellationToken.None);

    private static BuildImageResult Read(RunDirectory run) =>
        TollgateJson.ReadFile<BuildImageResult>(Path.Combine(run.Root, StageName.BuildImage, BuildImageResult.FileName));
}
