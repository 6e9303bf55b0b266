using Shouldly;
using Tollgate.Release.Images;

namespace Tollgate.Release.Tests.Images;

public sealed class ImageDockerfileTests
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["io.tollgate.model.version"] = "v2",
        ["org.opencontainers.image.source"] = "https://example.test/\"quoted\"",
    };

    [Fact]
    public void Render_Always_PutsServerBeforeModelAndPerBuildValuesLast()
    {
        var text = ImageDockerfile.Render("tollgate/base-offline:bookworm", 8080, "127.0.0.1:5000/m:v2", Labels, "m v2");
        var lines = text.Split('\n');
        int Index(string prefix) => Array.FindIndex(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));
        Index("FROM tollgate/base-offline:bookworm").ShouldBe(2);
        Index("COPY server/").ShouldBeLessThan(Index("COPY model/"));
        Index("USER 10001:10001").ShouldBeLessThan(Index("ENTRYPOINT"));
        Index("HEALTHCHECK").ShouldBeLessThan(Index("COPY model/"), "nothing that changes per build may precede the cached server layer");
        Index("COPY model/").ShouldBeLessThan(Index("ENV TOLLGATE_SERVING_IMAGE"));
        Index("ENV TOLLGATE_SERVING_IMAGE").ShouldBeLessThan(Index("LABEL"));
        text.ShouldNotContain("RUN ", Case.Sensitive, "no RUN step: any base works, even without a shell");
        text.ShouldContain("org.opencontainers.image.source=\"https://example.test/\\\"quoted\\\"\"");
    }

    [Fact]
    public void Render_TwoVersions_IdenticalUpToTheModelLayer()
    {
        string Head(string text) => text[..text.IndexOf("COPY model/", StringComparison.Ordinal)].Split('\n', 2)[1];
        var a = ImageDockerfile.Render("base", 8080, "r/m:v1", new Dictionary<string, string> { ["k"] = "1" }, "m v1");
        var b = ImageDockerfile.Render("base", 8080, "r/m:v2", new Dictionary<string, string> { ["k"] = "2" }, "m v2");
        Head(a).ShouldBe(Head(b));
    }
}
