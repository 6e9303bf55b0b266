using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.Releases;

namespace Tollgate.Core.Tests.Releases;

public sealed class RetentionPolicyTests
{
    private static readonly string[] EightVersions = Enumerable.Range(1, 8).Select(i => $"2026112{i}T0000Z").ToArray();

    [Fact]
    public void Decide_EightReleasesKeepSeven_DeletesOnlyTheOldest()
    {
        var decision = new RetentionPolicy(7).Decide(EightVersions, production: EightVersions[7], rollbackTarget: EightVersions[6]);

        decision.Keep.Count.ShouldBe(7);
        decision.Delete.Select(d => d.Key).ShouldBe([EightVersions[0]]);
    }

    [Fact]
    public void Decide_ProductionAndRollbackTargetAreTheOldest_NeverDeletesThem()
    {
        // After rolling back to v1, production is the oldest image; v2 is what a further rollback... the chain says v1's parent.
        var decision = new RetentionPolicy(3).Decide(EightVersions, production: EightVersions[0], rollbackTarget: EightVersions[1]);

        decision.Keep.Select(k => k.Key).ShouldBe([EightVersions[7], EightVersions[1], EightVersions[0]], ignoreOrder: true);
        decision.Delete.Select(d => d.Key).ShouldNotContain(EightVersions[0]);
        decision.Delete.Select(d => d.Key).ShouldNotContain(EightVersions[1]);
        decision.Delete.Count.ShouldBe(5);
        decision.Keep.Single(k => k.Key == EightVersions[0]).Value.ShouldBe("production");
    }

    [Fact]
    public void Decide_FewerThanKeep_DeletesNothing()
    {
        new RetentionPolicy(7).Decide(EightVersions[..3], EightVersions[2], EightVersions[1]).Delete.ShouldBeEmpty();
    }

    [Fact]
    public void Constructor_KeepZero_IsAConfigurationError()
    {
        Should.Throw<ConfigurationException>(() => new RetentionPolicy(0)).Message.ShouldContain("keepImages");
    }
}
