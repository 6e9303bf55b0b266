using System.Text.Json.Nodes;
using Shouldly;
using Tollgate.Core.Releases;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Release.Deployment;
using Tollgate.Release.Docker;
using Tollgate.Release.Promotion;
using Tollgate.Release.Pruning;
using Tollgate.Release.Rollback;
using Tollgate.Release.Shadow;
using Tollgate.Release.Switching;
using Tollgate.Release.Tests.Hosting;
using Tollgate.Release.Tests.Images;
using Tollgate.Release.Tests.Switching;
using Tollgate.Serving.Tests.Support;
using Tollgate.Testing;

namespace Tollgate.Release.Tests.Deployment;

/// <summary>
/// Issue 7's "Checked by" on the real engine and registry: the release stages (Promote, Prune-Images, Rollback) and the
/// switcher's crash recovery on the Docker backend, each version a container of its own image, verified through the
/// real front door — the Docker twins of <see cref="Rollback.RollbackStageTests"/>, <see cref="Pruning.PruneImagesStageTests"/>
/// and <see cref="ReleaseSwitcherTests"/>' kill -9 tests.
/// To keep this to about a minute, the releases are not trained and built one by one: <see cref="VersionedImages"/>
/// re-versions the Build-Image fixture's real image (real server and model, own tag, digest and /v1/metadata version
/// per release), so what is tested — containers, registry, front door, history, pruning — is all real.
/// </summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerReleaseTests
{
    private readonly ImageBuildFixture fixture;

    public DockerReleaseTests(ImageBuildFixture fixture)
    {
        this.fixture = fixture;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Release_EightVersionsOnDocker_PruneKeepsSevenRollbackAndToTwoBackServeThroughFrontDoor()
    {
        var builds = await RequireBuildsAsync();
        await using var images = new VersionedImages(builds.First, builds.FirstRun.CandidateDir);
        await using var repo = new ReleaseRepo(backend: root => new DockerBackend(DockerEndpoint.Resolve(), root, TimeProvider.System));
        using var env = repo.Environment();
        env.Backend.Name.ShouldBe("docker");
        var versions = Enumerable.Range(1, 8).Select(i => $"20261127T10{i:00}Z-d{i}").ToArray();
        RunDirectory? last = null;
        VersionedImage? lastImage = null;
        foreach (var version in versions)
        {
            var image = lastImage = await images.BuildAsync(version, Ct);
            last = Run(repo, builds, image);
            var promoted = await PromoteStage.RunAsync(env, last, NullStageLog.Instance, Ct);
            promoted.Outcome.ShouldBe(StageOutcome.Passed, promoted.Summary + " " + string.Join("; ", promoted.Checks.Select(c => c.Message)) + "\n" + string.Join("\n", repo.LogLines.TakeLast(10)));
            (await repo.FrontDoorVersionAsync()).ShouldBe(version, "each release is verified through the front door");
        }

        var history = new ReleaseHistory(env.ModelRoot).ReadAll();
        history[^1].Release.ImageDigest.ShouldBe(lastImage!.ReferenceByDigest, "the history keeps the pullable reference by digest, so any runner can pull it back");
        var running = await RunningAsync(env.Backend, ReleaseRepo.Model);
        running.Select(d => d.Version).Order().ToArray().ShouldBe(new[] { versions[6], versions[7] }, customMessage: "production plus the warm standby; every older container is stopped and removed");

        var pruned = await PruneImagesStage.RunAsync(env, last!, NullStageLog.Instance, Ct);

        pruned.Outcome.ShouldBe(StageOutcome.Passed);
        using (var registry = new RegistryClient(images.Registry))
        {
            var tags = await registry.ListTagsAsync(images.Repository, Ct);
            tags.Where(t => versions.Contains(t)).Order().ToArray().ShouldBe(versions[1..], customMessage: "eight releases leave exactly seven images: the oldest goes");
        }

        using (var engine = await ImageBuildFixture.EngineAsync())
        {
            (await engine.ImageExistsAsync($"{images.Registry}/{images.Repository}:{versions[0]}", Ct)).ShouldBeFalse("pruned from the engine too");
        }

        var back = await RollbackStage.RunAsync(env, null, "v8 misbehaves", Ct);
        back.Outcome.ShouldBe(StageOutcome.Passed);
        (await repo.FrontDoorVersionAsync()).ShouldBe(versions[6]);

        (await RollbackStage.RunAsync(env, versions[5], "two back", Ct)).Outcome.ShouldBe(StageOutcome.Passed);
        (await repo.FrontDoorVersionAsync()).ShouldBe(versions[5], "--to two versions back pulls and starts an older image");
        env.Store.TryGetProduction(ReleaseRepo.Model)!.Version.ShouldBe(versions[5]);
        new ReleaseHistory(env.ModelRoot).ReadAll().Select(e => $"{e.Kind}:{e.Release.Version}").TakeLast(2).ShouldBe([$"rollback:{versions[6]}", $"rollback:{versions[5]}"]);
    }

    [Fact]
    public async Task ShadowDeploy_CandidateContainerCrashesAtStart_RejectedStoppedAndLogKept()
    {
        var builds = await RequireBuildsAsync();
        await using var images = new VersionedImages(builds.First, builds.FirstRun.CandidateDir);
        await using var repo = new ReleaseRepo(backend: root => new DockerBackend(DockerEndpoint.Resolve(), root, TimeProvider.System));
        using var env = repo.Environment();
        (await PromoteStage.RunAsync(env, Run(repo, builds, await images.BuildAsync("v1", Ct)), NullStageLog.Instance, Ct)).Outcome.ShouldBe(StageOutcome.Passed);
        var broken = await images.BuildAsync("v2", Ct, brokenModel: "not a model: the server cannot load it");
        var errors = new Core.Specs.SpecErrors();
        var options = Configuration.ShadowOptions.Read(repo.Spec, errors);
        errors.ThrowIfAny();

        var report = await ShadowDeployStage.RunAsync(env, options, Run(repo, builds, broken), NullStageLog.Instance, Ct);

        report.Outcome.ShouldBe(StageOutcome.Rejected);
        var ready = report.Checks.Single(c => c.Id == "shadow.candidate-ready");
        ready.Status.ShouldBe(CheckStatus.Failed);
        ready.Message.ShouldContain("exited before it became ready");
        (await repo.FrontDoorVersionAsync()).ShouldBe("v1", "production keeps serving");
        (await env.Backend.ListAsync(ReleaseRepo.Model, Ct)).Select(d => d.Version).ShouldBe(["v1"], "the crashed candidate's container is removed");
        Directory.GetFiles(Path.Combine(env.ModelRoot, "deployments"), $"{ReleaseRepo.Model}-v2-*.log").ShouldHaveSingleItem()
            .ShouldSatisfyAllConditions(path => File.ReadAllText(path).ShouldNotBeEmpty("the crashed server's output is kept for the reviewer"));
    }

    [Fact]
    public async Task SwitchAsync_DockerPromoteKilledWhileStartingTarget_OldVersionServesAndNextRunUndoes()
    {
        var builds = await RequireBuildsAsync();
        await using var images = new VersionedImages(builds.First, builds.FirstRun.CandidateDir);
        await using var bed = new ReleaseTestBed(backend: root => new DockerBackend(DockerEndpoint.Resolve(), root, TimeProvider.System));
        var v1 = bed.Release("v1") with { ImageDigest = (await images.BuildAsync("v1", Ct)).ReferenceByDigest };
        var v2 = bed.Release("v2") with { ImageDigest = (await images.BuildAsync("v2", Ct)).ReferenceByDigest };
        (await bed.Switcher().SwitchAsync(Promote(v1), Ct)).Failure.ShouldBeNull();
        var journal = new ReleaseJournal(bed.Store.ModelRoot(ReleaseTestBed.Model));

        using (var child = ReleaseSwitcherTests.StartPromoteProcess(bed, v2, 0, "--image", v2.ImageDigest!, "--smoke-file", SmokeFile(bed)))
        {
            await ReleaseSwitcherTests.WaitForAsync(() => journal.TryRead()?.ToDeployment is not null);
            child.Kill(); // SIGKILL while v2's container starts
            await child.WaitForExitAsync(Ct);
        }

        (await bed.FrontDoorVersionAsync()).ShouldBe("v1", "a promote killed before the switch must leave the old version serving");
        var recovered = await bed.Switcher().RecoverWithLockAsync(Ct);
        recovered!.ShouldContain("undid an interrupted promote to v2");
        (await RunningAsync(bed.Backend, ReleaseTestBed.Model)).Select(d => d.Version).ShouldBe(["v1"], "the half-started v2 container is stopped by the recovery");
        (await bed.FrontDoorVersionAsync()).ShouldBe("v1");
    }

    [Fact]
    public async Task SwitchAsync_DockerPromoteKilledAfterSwitch_NewVersionServesAndNextRunFinishes()
    {
        var builds = await RequireBuildsAsync();
        await using var images = new VersionedImages(builds.First, builds.FirstRun.CandidateDir);
        await using var bed = new ReleaseTestBed(backend: root => new DockerBackend(DockerEndpoint.Resolve(), root, TimeProvider.System));
        var v1 = bed.Release("v1") with { ImageDigest = (await images.BuildAsync("v1", Ct)).ReferenceByDigest };
        var v2 = bed.Release("v2") with { ImageDigest = (await images.BuildAsync("v2", Ct)).ReferenceByDigest };
        (await bed.Switcher().SwitchAsync(Promote(v1), Ct)).Failure.ShouldBeNull();
        var journal = new ReleaseJournal(bed.Store.ModelRoot(ReleaseTestBed.Model));

        using (var child = ReleaseSwitcherTests.StartPromoteProcess(bed, v2, 30, "--image", v2.ImageDigest!, "--smoke-file", SmokeFile(bed)))
        {
            await ReleaseSwitcherTests.WaitForAsync(() => journal.TryRead()?.Step == ReleaseStep.Switched);
            child.Kill(); // SIGKILL while the old container drains
            await child.WaitForExitAsync(Ct);
        }

        (await bed.FrontDoorVersionAsync()).ShouldBe("v2");
        var result = await bed.Switcher().SwitchAsync(Promote(v2), Ct);
        result.Recovered!.ShouldContain("finished an interrupted promote to v2");
        result.Changed.ShouldBeFalse("after recovery v2 already serves");
        new ReleaseHistory(bed.Store.ModelRoot(ReleaseTestBed.Model)).ReadAll().Select(e => e.Release.Version).ShouldBe(["v1", "v2"]);
        (await RunningAsync(bed.Backend, ReleaseTestBed.Model)).Select(d => d.Version).ShouldBe(["v2"], "recovery stops the old container the killed run left draining");
    }

    /// <summary>A run of <paramref name="repo"/> whose candidate is the real one under the image's version and whose build-image report names the image.</summary>
    private static RunDirectory Run(ReleaseRepo repo, ImageBuilds builds, VersionedImage image)
    {
        var run = repo.Run(image.Version);
        File.Copy(Path.Combine(builds.FirstRun.CandidateDir, "model.zip"), Path.Combine(run.CandidateDir, "model.zip"), overwrite: true);
        File.WriteAllText(Path.Combine(run.CandidateDir, CandidateInfo.FileName), image.Candidate.ToJsonString());
        run.WriteReport(new StageReport
        {
            Stage = StageName.BuildImage,
            Model = ReleaseRepo.Model,
            Outcome = StageOutcome.Passed,
            StartedAt = DateTimeOffset.UtcNow,
            FinishedAt = DateTimeOffset.UtcNow,
            Summary = image.ReferenceByDigest,
            Details = new JsonObject { ["kind"] = "image", ["reference"] = image.Reference, ["digest"] = image.Digest, ["referenceByDigest"] = image.ReferenceByDigest },
        });
        return run;
    }

    private static SwitchRequest Promote(ReleasedModel target) =>
        new(ReleaseEvent.PromoteKind, target, "test", [.. RealCandidate.BankRequestRows(3)]);

    private static string SmokeFile(ReleaseTestBed bed)
    {
        var path = bed.Dir.Combine("smoke.json");
        File.WriteAllText(path, new JsonArray([.. RealCandidate.BankRequestRows(3).Select(r => (JsonNode)r.DeepClone())]).ToJsonString());
        return path;
    }

    private static async Task<List<Tollgate.Release.Deployment.Deployment>> RunningAsync(IDeploymentBackend backend, string model)
    {
        var running = new List<Tollgate.Release.Deployment.Deployment>();
        foreach (var d in await backend.ListAsync(model, Ct))
        {
            if ((await backend.InspectAsync(d, Ct)).Running)
            {
                running.Add(d);
            }
        }

        return running;
    }

    private async Task<ImageBuilds> RequireBuildsAsync()
    {
        Infrastructure.RequireDocker();
        Infrastructure.RequireRegistry();
        return await fixture.GetAsync();
    }
}
