namespace Tollgate.Release.Tests.Images;

/// <summary>
/// The tests that use the real engine and registry: they share one <see cref="ImageBuildFixture"/> (the server is
/// published and the images built once per test run, not once per class) and run one after another, so one class
/// never removes an image another is building on or running.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<ImageBuildFixture>
{
    public const string Name = "Docker engine and registry";
}
