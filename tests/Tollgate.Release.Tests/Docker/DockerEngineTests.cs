using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Release.Docker;

namespace Tollgate.Release.Tests.Docker;

public sealed class DockerEngineTests
{
    [Fact]
    public async Task ConnectAsync_NoEngineAtSocket_ThrowsInfrastructureNamingDockerHost()
    {
        var endpoint = new Uri($"unix:///tmp/tollgate-no-docker-{Guid.NewGuid():N}.sock");
        var ex = await Should.ThrowAsync<InfrastructureException>(() => DockerEngine.ConnectAsync(endpoint, TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken));
        ex.ExitCode.ShouldBe(ExitCode.InfrastructureUnavailable);
        ex.Message.ShouldContain(endpoint.ToString());
        ex.Message.ShouldContain("DOCKER_HOST");
    }

    [Theory]
    [InlineData("127.0.0.1:5000/bank-marketing:v1", "127.0.0.1:5000/bank-marketing", "v1")]
    [InlineData("127.0.0.1:5000/bank-marketing", "127.0.0.1:5000/bank-marketing", "latest")]
    [InlineData("tollgate/base-offline:bookworm", "tollgate/base-offline", "bookworm")]
    public void SplitTag_Reference_SeparatesRegistryPortFromTag(string reference, string name, string tag) =>
        DockerEngine.SplitTag(reference).ShouldBe((name, tag));

    [Fact]
    public void Resolve_DockerHostSet_UsesIt() =>
        DockerEndpoint.Resolve(k => k == "DOCKER_HOST" ? "tcp://127.0.0.1:2375" : null).ShouldBe(new Uri("tcp://127.0.0.1:2375"));
}
