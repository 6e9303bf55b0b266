using Shouldly;
using Tollgate.Core.Releases;

namespace Tollgate.Core.Tests.Releases;

public sealed class ReleaseLineageTests
{
    [Fact]
    public void RollbackTarget_ThreePromotes_IsTheSecond()
    {
        var lineage = new ReleaseLineage([Promote("v1"), Promote("v2"), Promote("v3")]);

        lineage.Production!.Version.ShouldBe("v3");
        lineage.RollbackTarget!.Version.ShouldBe("v2");
    }

    [Fact]
    public void RollbackTarget_AfterRollback_GoesFurtherBackNotToTheVersionRolledBackFrom()
    {
        var lineage = new ReleaseLineage([Promote("v1"), Promote("v2"), Promote("v3"), Rollback("v2")]);

        lineage.Production!.Version.ShouldBe("v2");
        lineage.RollbackTarget!.Version.ShouldBe("v1", "v3 was rolled back from; a second rollback must not bring it back");
    }

    [Fact]
    public void RollbackTarget_RolledBackToTheFirst_IsNull()
    {
        var lineage = new ReleaseLineage([Promote("v1"), Promote("v2"), Promote("v3"), Rollback("v1")]);

        lineage.Production!.Version.ShouldBe("v1");
        lineage.RollbackTarget.ShouldBeNull();
    }

    [Fact]
    public void Chain_RollbackToVersionOffTheChain_PushesIt()
    {
        var lineage = new ReleaseLineage([Promote("v1"), Promote("v2"), Rollback("v1"), Rollback("v2")]);

        lineage.Chain.Select(r => r.Version).ShouldBe(["v1", "v2"]);
    }

    private static ReleaseEvent Promote(string v) => ReleaseHistoryTests.Event("p" + v + Guid.NewGuid(), v);

    private static ReleaseEvent Rollback(string v) => ReleaseHistoryTests.Event("r" + v + Guid.NewGuid(), v, ReleaseEvent.RollbackKind);
}
