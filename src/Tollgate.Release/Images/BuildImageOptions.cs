using Tollgate.Core.Specs;

namespace Tollgate.Release.Images;

/// <summary>
/// Build-Image settings: model.yaml's <c>image:</c> section (<c>base</c>, <c>registry</c>, <c>repository</c>, <c>port</c>)
/// and <c>deploy.backend</c>, overridden by <c>TOLLGATE_BASE_IMAGE</c> / <c>TOLLGATE_REGISTRY</c> and CLI options.
/// </summary>
public sealed record BuildImageOptions
{
    public const string DefaultBaseImage = "mcr.microsoft.com/dotnet/runtime-deps:10.0";

    /// <summary><c>auto</c> (an image when an engine answers, else a release folder), <c>docker</c> or <c>local</c>. <value>Default auto.</value></summary>
    public string Backend { get; init; } = "auto";

    /// <summary>Registry host:port to push to, e.g. <c>127.0.0.1:5000</c>. Required for images.</summary>
    public string? Registry { get; init; }

    /// <summary>
    /// The base image. The server is published self-contained for linux-x64, so any glibc base with libstdc++, libgomp
    /// and CA certificates works. <value>Default mcr.microsoft.com/dotnet/runtime-deps:10.0 (online);
    /// offline machines use tollgate/base-offline:bookworm from build/infra/start-services.sh.</value>
    /// </summary>
    public string BaseImage { get; init; } = DefaultBaseImage;

    /// <summary>Repository name under the registry. <value>Default the model name.</value></summary>
    public string? Repository { get; init; }

    /// <summary>The port the server listens on inside the image (127.0.0.1, host networking). <value>Default 8080.</value></summary>
    public int Port { get; init; } = 8080;

    /// <summary>A published server folder to use instead of running <c>dotnet publish</c> (tests, CI caches).</summary>
    public string? ServerPublishDir { get; init; }

    /// <summary>How long to wait for the engine's ping. <value>Default 5 s.</value></summary>
    public TimeSpan EngineTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads the spec sections and the environment, collecting problems in <paramref name="errors"/>.</summary>
    public static BuildImageOptions FromSpec(ModelSpec spec, Func<string, string?> environment, SpecErrors errors)
    {
        var options = new BuildImageOptions();
        // deploy: is shared with the release stages; read only the backend here and leave its other keys to them.
        if (spec.ReadSection("deploy", errors) is { } deploy)
        {
            options = options with { Backend = deploy.String("backend", oneOf: ["auto", "docker", "local"]) ?? options.Backend };
        }

        if (spec.ReadSection("image", errors) is { } image)
        {
            image.RejectUnknownKeys("base", "registry", "repository", "port");
            options = options with
            {
                BaseImage = image.String("base") ?? options.BaseImage,
                Registry = image.String("registry"),
                Repository = image.String("repository"),
                Port = image.Integer("port", min: 1024, max: 65535) ?? options.Port,
            };
        }

        if (environment("TOLLGATE_BASE_IMAGE") is { Length: > 0 } baseImage)
        {
            options = options with { BaseImage = baseImage };
        }

        if (environment("TOLLGATE_REGISTRY") is { Length: > 0 } registry)
        {
            options = options with { Registry = registry };
        }

        return options;
    }
}
