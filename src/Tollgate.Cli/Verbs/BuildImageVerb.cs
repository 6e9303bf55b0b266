using System.CommandLine;
using Tollgate.Cli.Hosting;
using Tollgate.Core.Releases;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Release.Images;

namespace Tollgate.Cli.Verbs;

/// <summary><c>tollgate build-image</c>: the candidate and the model server as an image in the registry (or a release folder).</summary>
public sealed class BuildImageVerb : StageVerb
{
    private readonly Option<string?> registry = new("--registry")
    {
        Description = "Registry to push to (host:port). Default: TOLLGATE_REGISTRY, else image.registry in model.yaml.",
    };

    private readonly Option<string?> baseImage = new("--base-image")
    {
        Description = "Base image. Default: TOLLGATE_BASE_IMAGE, else image.base, else mcr.microsoft.com/dotnet/runtime-deps:10.0.",
    };

    private readonly Option<string?> serverDir = new("--server-dir")
    {
        Description = "An already published server folder (linux-x64, self-contained) instead of running dotnet publish.",
    };

    private readonly Option<string?> backend = new("--backend")
    {
        Description = "auto | docker | local. Default: deploy.backend in model.yaml, else auto (an image when a Docker engine answers, else a release folder).",
    };

    protected override string Stage => StageName.BuildImage;

    protected override string Description =>
        "Builds the model server image through the Docker Engine API (DOCKER_HOST) from a generated Dockerfile kept in " +
        "<run>/build-image/: non-root, with a HEALTHCHECK, layers ordered so a retrain rebuilds only the model layer, " +
        "OCI and Tollgate labels. Tags <registry>/<model>:<version>, pushes, and records the digest in image.json. " +
        "No engine: exit 4, unless the deploy backend is local, which packages a versioned release folder instead.";

    protected override void AddOptions(Command command)
    {
        command.Options.Add(registry);
        command.Options.Add(baseImage);
        command.Options.Add(serverDir);
        command.Options.Add(backend);
    }

    protected override Task<StageReport> RunAsync(StageInvocation invocation, CancellationToken cancellationToken)
    {
        var errors = new SpecErrors();
        var options = BuildImageOptions.FromSpec(invocation.Spec, Environment.GetEnvironmentVariable, errors);
        var parse = invocation.ParseResult;
        var chosenBackend = parse.GetValue(backend);
        if (chosenBackend is not null && chosenBackend is not ("auto" or "docker" or "local"))
        {
            errors.Add($"--backend '{chosenBackend}': use auto, docker or local.");
        }

        errors.ThrowIfAny();
        options = options with
        {
            Registry = parse.GetValue(registry) ?? options.Registry,
            BaseImage = parse.GetValue(baseImage) ?? options.BaseImage,
            ServerPublishDir = parse.GetValue(serverDir) is { } dir ? Path.GetFullPath(dir) : null,
            Backend = chosenBackend ?? options.Backend,
        };
        return BuildImageStage.RunAsync(
            new BuildImageRequest(
                invocation.RepoRoot,
                invocation.Spec,
                invocation.Run,
                options,
                ReleaseStore.ForRepository(invocation.RepoRoot),
                invocation.Log,
                invocation.Time,
                Environment.GetEnvironmentVariable),
            cancellationToken);
    }
}
