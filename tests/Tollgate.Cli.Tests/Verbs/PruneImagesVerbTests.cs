using Shouldly;
using Tollgate.Core.Stages;

namespace Tollgate.Cli.Tests.Verbs;

public sealed class PruneImagesVerbTests
{
    [Fact]
    public async Task PruneImages_NothingReleased_PassesWithNothingToPrune()
    {
        using var repo = new RollbackVerbFixture(StageName.Promote);

        var (exit, output, error) = await repo.RunAsync("prune-images", "--run-dir", "artifacts/runs/" + RollbackVerbFixture.RunId);

        exit.ShouldBe(0, error);
        output.ShouldContain("nothing to prune");
    }
}
