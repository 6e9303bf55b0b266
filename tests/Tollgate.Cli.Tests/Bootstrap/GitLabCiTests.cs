using Shouldly;
using Tollgate.Core.Stages;
using Tollgate.Testing;

namespace Tollgate.Cli.Tests.Bootstrap;

/// <summary>
/// .gitlab-ci.yml checked with gitlab-ci-local 4.60.1 (GitLab's schema and rules, the shell executor). .ci/run installs it
/// and sets TOLLGATE_GITLAB_CI_LOCAL; elsewhere these tests skip, or fail under TOLLGATE_REQUIRE_INFRA=1.
/// </summary>
[Trait("Category", "GitLab")]
public sealed class GitLabCiTests
{
    private static string Tool()
    {
        var tool = Environment.GetEnvironmentVariable("TOLLGATE_GITLAB_CI_LOCAL");
        if (tool is null || !File.Exists(tool))
        {
            var reason = "gitlab-ci-local not installed (set TOLLGATE_GITLAB_CI_LOCAL; .ci/run installs it)";
            if (Infrastructure.Required)
            {
                Assert.Fail($"TOLLGATE_REQUIRE_INFRA=1 but {reason}.");
            }

            Assert.Skip(reason);
        }

        return tool;
    }

    [Fact]
    public async Task List_ScheduledPipeline_ValidatesAndHasOneJobPerStageInChainOrder()
    {
        var (exit, output) = await ScriptRunner.RunAsync(Tool(), ["--list", "--variable", "CI_PIPELINE_SOURCE=schedule"]);

        exit.ShouldBe(0, output);
        var positions = StageName.Chain.Select(stage => output.IndexOf("\n" + stage + " ", StringComparison.Ordinal)).ToList();
        positions.ShouldAllBe(p => p >= 0, output);
        positions.ShouldBeInOrder(SortDirection.Ascending, output);
    }

    [Fact]
    public async Task List_PushPipeline_RunsBuildAndTestButNoRetrain()
    {
        var (exit, output) = await ScriptRunner.RunAsync(Tool(), ["--list", "--variable", "CI_PIPELINE_SOURCE=push"]);

        exit.ShouldBe(0, output);
        output.ShouldContain("\ntest ");
        output.ShouldNotContain("\nvalidate-data ");
    }

    [Fact]
    public async Task BuildJob_ShellExecutor_RunsBuildShAndShowsThePipeline()
    {
        // TOLLGATE_NO_BUILD keeps the job from rebuilding the solution under the running tests; the job still runs
        // build.sh and Cake for real.
        var tool = Tool();
        (int exit, string output) result;
        try
        {
            result = await ScriptRunner.RunAsync(tool, ["--shell-isolation=false", "--variable", "TOLLGATE_NO_BUILD=1", "build"]);
        }
        finally
        {
            // gitlab-ci-local keeps the job's artifacts (.build/bin/, ~400 MB) in .gitlab-ci-local/: not worth keeping.
            var state = TestRepo.PathOf(".gitlab-ci-local");
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }

        var (exit, output) = result;

        exit.ShouldBe(0, output);
        output.ShouldContain("Holdout-Validate");
        output.ShouldContain("PASS");
    }
}
