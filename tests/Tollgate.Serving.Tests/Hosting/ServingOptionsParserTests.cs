using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Serving.Hosting;
using Tollgate.Testing;

namespace Tollgate.Serving.Tests.Hosting;

public sealed class ServingOptionsParserTests
{
    [Fact]
    public void Parse_ArgumentsAndEnvironment_ArgumentsWin()
    {
        using var temp = new TempDir();
        var env = new Dictionary<string, string> { ["TOLLGATE_SERVING_LOG_SAMPLE_RATE"] = "0.5", ["TOLLGATE_SERVING_URLS"] = "http://127.0.0.1:9999" };
        var options = ServingOptionsParser.Parse(["--candidate", temp.Path, "--urls=http://127.0.0.1:7001", "--log-dir", temp.Combine("log")], k => env.GetValueOrDefault(k));
        options.CandidateDir.ShouldBe(temp.Path);
        options.Urls.ShouldBe("http://127.0.0.1:7001");
        options.Log.SampleRate.ShouldBe(0.5);
        options.Log.Directory.ShouldBe(temp.Combine("log"));
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAllTogether()
    {
        var ex = Should.Throw<ConfigurationException>(() =>
            ServingOptionsParser.Parse(["--urls", "http://0.0.0.0:80", "--log-sample-rate", "2", "--bogus", "x"], _ => null));
        ex.Errors.Count.ShouldBe(4, string.Join(" | ", ex.Errors)); // bogus, candidate missing, non-loopback, sample rate
        ex.Message.ShouldContain("loopback");
        ex.Message.ShouldContain("--candidate is required");
    }
}
