using Shouldly;
using Tollgate.Modeling.Examples;
using Tollgate.Testing;

namespace Tollgate.Modeling.Tests.Examples;

public sealed class SeattleWeatherExampleTests
{
    [Fact]
    public void Prepare_CommittedSource_ReproducesTheCommittedDumpsByteForByte()
    {
        using var dir = new TempDir();

        var count = SeattleWeatherExample.Prepare(TestRepo.PathOf("data", "seattle-weather", "seattle-weather.csv"), dir.Path);

        count.ShouldBe(48, "four years of months");
        var committed = TestRepo.PathOf("data", "seattle-weather", "incoming");
        Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order().ShouldBe(Directory.GetFiles(committed).Select(Path.GetFileName).Order());
        foreach (var file in Directory.GetFiles(dir.Path))
        {
            File.ReadAllBytes(file).ShouldBe(File.ReadAllBytes(Path.Combine(committed, Path.GetFileName(file))), Path.GetFileName(file));
        }
    }

    [Fact]
    public void Prepare_Rows_UseOnlyYesterdaysObservations()
    {
        using var dir = new TempDir();
        SeattleWeatherExample.Prepare(TestRepo.PathOf("data", "seattle-weather", "seattle-weather.csv"), dir.Path);

        var lines = File.ReadAllLines(Path.Combine(dir.Path, "2012-01.csv"));

        lines[0].ShouldBe(SeattleWeatherExample.Header);
        // Source: 2012-01-01 12.8/5.0, rain 0.0, wind 4.7, drizzle; 2012-01-02 max 10.6.
        lines[1].ShouldBe("2012-01-02,2,12.8,5.0,0.0,4.7,drizzle,10.6");
    }
}
