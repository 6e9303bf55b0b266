using Shouldly;
using Tollgate.Core.Stages;

namespace Tollgate.Cli.Tests.Verbs;

public sealed class RollbackVerbTests
{
    [Fact]
    public async Task Rollback_NothingReleased_Exits2SayingThereIsNothingToRollBack()
    {
        using var repo = new RollbackVerbFixture(StageName.Promote);

        var (exit, _, error) = await repo.RunAsync("rollback", "--reason", "test");

        exit.ShouldBe(2);
        error.ShouldContain("has never been released; there is nothing to roll back");
        error.ShouldNotContain("   at ", Case.Sensitive, "an expected failure prints no stack trace");
    }

    [Fact]
    public async Task Rollback_Help_DocumentsToAndReason()
    {
        using var repo = new RollbackVerbFixture(StageName.Promote);

        var (exit, output, _) = await repo.RunAsync("rollback", "--help");

        exit.ShouldBe(0);
        output.ShouldContain("--to");
        output.ShouldContain("--reason");
    }
}
