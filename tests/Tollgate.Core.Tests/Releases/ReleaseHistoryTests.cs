using Shouldly;
using Tollgate.Core.Releases;
using Tollgate.Testing;

namespace Tollgate.Core.Tests.Releases;

public sealed class ReleaseHistoryTests
{
    [Fact]
    public void Append_SameIdTwice_RecordsOnce()
    {
        using var dir = new TempDir("history");
        var history = new ReleaseHistory(dir.Path);

        history.Append(Event("t1", "v1")).ShouldBeTrue();
        history.Append(Event("t1", "v1")).ShouldBeFalse("a resumed promote must not record the release twice");

        history.ReadAll().Count.ShouldBe(1);
    }

    [Fact]
    public void ReadAll_TornLastLine_SkipsItAndNextAppendStartsOnAFreshLine()
    {
        using var dir = new TempDir("history");
        var history = new ReleaseHistory(dir.Path);
        history.Append(Event("t1", "v1"));
        File.AppendAllText(history.Path, "{\"id\":\"t2\",\"kind\":\"prom"); // killed mid-write

        history.ReadAll().Select(e => e.Id).ShouldBe(["t1"]);
        history.TornLines.ShouldBe(1);
        history.Append(Event("t3", "v3"));

        history.ReadAll().Select(e => e.Id).ShouldBe(["t1", "t3"]);
    }

    [Fact]
    public void ReleasedNewestFirst_VersionReleasedTwice_ListedOnceAtItsLatestPlace()
    {
        using var dir = new TempDir("history");
        var history = new ReleaseHistory(dir.Path);
        history.Append(Event("t1", "v1"));
        history.Append(Event("t2", "v2"));
        history.Append(Event("t3", "v1", ReleaseEvent.RollbackKind));

        history.ReleasedNewestFirst().Select(r => r.Version).ShouldBe(["v1", "v2"]);
    }

    internal static ReleaseEvent Event(string id, string version, string kind = ReleaseEvent.PromoteKind) =>
        new(id, kind, new ReleasedModel("m", version, "run-" + version, "/releases/" + version), null, "tester", DateTimeOffset.UnixEpoch, "test");
}
