using Shouldly;
using Tollgate.Modeling.Scoring;

namespace Tollgate.Modeling.Tests.Scoring;

public sealed class FeatureValuesTests
{
    private static readonly FeatureIndex Index = FeatureIndex.Of(["age", "balance", "day"]);

    [Fact]
    public void TrySet_SomeFeaturesInAnyOrder_ReadsLikeADictionaryInIndexOrder()
    {
        var values = new FeatureValues<float>(Index);

        values.TrySet("day", 17).ShouldBeTrue();
        values.TrySet("age", 53).ShouldBeTrue();
        values.TrySet("age", 54).ShouldBeTrue(); // overwriting does not count twice

        values.Count.ShouldBe(2);
        values["age"].ShouldBe(54);
        values.ContainsKey("balance").ShouldBeFalse();
        values.TryGetValue("balance", out _).ShouldBeFalse();
        values.TryGetAt(2, out var day).ShouldBeTrue();
        day.ShouldBe(17);
        values.Select(p => p.Key).ShouldBe(["age", "day"], "enumeration follows the index, not the order of setting");
        Should.Throw<KeyNotFoundException>(() => values["balance"]).Message.ShouldContain("balance");
    }

    [Fact]
    public void TrySet_NameNotInTheIndex_ReturnsFalseAndKeepsTheRow()
    {
        var values = new FeatureValues<string>(FeatureIndex.Of(["job"]));

        values.TrySet("salary", "x").ShouldBeFalse();

        values.Count.ShouldBe(0);
        values.ContainsKey("salary").ShouldBeFalse();
    }

    [Fact]
    public void Of_DuplicateNames_Throws() =>
        Should.Throw<ArgumentException>(() => FeatureIndex.Of(["a", "a"]));

    [Fact]
    public void Matches_SameNamesOtherOrder_IsFalse()
    {
        Index.Matches(["age", "balance", "day"]).ShouldBeTrue();
        Index.Matches(["balance", "age", "day"]).ShouldBeFalse();
        Index.Matches(["age", "balance"]).ShouldBeFalse();
    }
}
