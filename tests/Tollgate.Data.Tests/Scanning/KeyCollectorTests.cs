using Shouldly;
using Tollgate.Data.Scanning;

namespace Tollgate.Data.Tests.Scanning;

public sealed class KeyCollectorTests
{
    private static readonly KeySet IdKey = new("key.primary", ["id"], IntegerKey: true);

    [Fact]
    public void FindDuplicates_RunsSpilledToDisk_FindsEveryDuplicateAcrossWorkers()
    {
        // Tiny runs force several sorted runs per collector onto disk: the merge must see across runs and workers.
        var random = new Random(7);
        var values = Enumerable.Range(0, 50_000).Select(i => (long)i * 3 - 40_000).OrderBy(_ => random.Next()).ToList();
        values.AddRange([7, 7, -40_000, 109_997]); // 7 is not a key (7 + 40,000 is no multiple of 3): twice; the other two repeat the first and last keys
        var a = new KeyCollector(IdKey, runLength: 4096, memoryRuns: 1);
        var b = new KeyCollector(IdKey, runLength: 4096, memoryRuns: 1);
        for (var i = 0; i < values.Count; i++)
        {
            (i % 2 == 0 ? a : b).Add(values[i]);
        }

        a.SpilledRuns.ShouldBeGreaterThan(2);
        b.SpilledRuns.ShouldBeGreaterThan(2);
        var (duplicates, surplus) = KeyCollector.FindDuplicates([a, b], keep: 10);

        surplus.ShouldBe(3);
        duplicates.Order().ShouldBe([-40_000L, 7L, 109_997L]);
    }

    [Fact]
    public void FindDuplicates_AfterMerge_DeletesSpillFiles()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tollgate-keys");
        var collector = new KeyCollector(IdKey, runLength: 256, memoryRuns: 0);
        for (var i = 0; i < 2000; i++)
        {
            collector.Add(i);
        }

        var mine = Directory.GetFiles(dir, $"{Environment.ProcessId}-*.run").Length;
        mine.ShouldBeGreaterThan(0);
        var (_, surplus) = KeyCollector.FindDuplicates([collector], keep: 10);

        surplus.ShouldBe(0);
        Directory.GetFiles(dir, $"{Environment.ProcessId}-*.run").Length.ShouldBe(0);
    }

    [Fact]
    public void FindDuplicates_NoValues_FindsNone()
    {
        var (duplicates, surplus) = KeyCollector.FindDuplicates([new KeyCollector(IdKey), new KeyCollector(IdKey)], keep: 10);

        surplus.ShouldBe(0);
        duplicates.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(300)]
    [InlineData(100_000)]
    public void RadixSort_SignedValues_SortsLikeArraySort(int count)
    {
        var random = new Random(count);
        var values = Enumerable.Range(0, count).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        values[0] = long.MinValue;
        values[1] = long.MaxValue;
        values[2] = 0;
        var expected = values.Order().ToArray();

        RadixSort.Sort(values, new long[count]);

        values.ShouldBe(expected);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-17", -17L)]
    [InlineData("+42", 42L)]
    [InlineData("007", 7L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void FastNumber_ValidIntegers_ParseLikeTheFramework(string text, long expected)
    {
        FastNumber.TryParseInt64(text, out var value).ShouldBeTrue();
        value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.5")]
    [InlineData(" 1")]
    [InlineData("12a")]
    [InlineData("9223372036854775808")]
    public void FastNumber_NotAnInteger_Fails(string text) => FastNumber.TryParseInt64(text, out _).ShouldBeFalse();

    [Fact]
    public void CategoryTable_ManyKeysSharingEnds_FindsEachByItsCharacters()
    {
        var table = new CategoryTable();
        var keys = Enumerable.Range(0, 1000).Select(i => $"abcd{i:D4}wxyz").Concat(["a", "ab", "abc", string.Empty]).ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            table.Add(keys[i], i);
        }

        for (var i = 0; i < keys.Count; i++)
        {
            table.TryGetValue(keys[i].AsSpan(), out var index).ShouldBeTrue();
            index.ShouldBe(i);
        }

        table.TryGetValue("abcd1000wxyz".AsSpan(), out _).ShouldBeFalse();
        table.Count.ShouldBe(keys.Count);
    }
}
