using Shouldly;
using Tollgate.Modeling.Scoring;
using Tollgate.Serving.Scoring;
using Tollgate.Serving.Tests.Support;

namespace Tollgate.Serving.Tests.Scoring;

public sealed class ScoringBatcherTests
{
    [Fact]
    public async Task ScoreAsync_ConcurrentRequests_BatchedIntoFewerCallsWithEachRowsOwnScore()
    {
        var model = new SlowModel();
        await using var batcher = new ScoringBatcher(model, scorers: 1);
        var rows = Enumerable.Range(0, 60).Select(i => Row(20 + i)).ToList();

        var results = await Task.WhenAll(rows.Select(r => batcher.ScoreAsync([r])));

        for (var i = 0; i < rows.Count; i++)
        {
            results[i].ShouldHaveSingleItem().Score.ShouldBe(FakeScoringModel.Expected(rows[i]), 1e-12, $"request {i} must get its own row's score");
        }

        model.Calls.ShouldBeLessThan(30, "requests waiting while the model is busy are scored together");
    }

    [Fact]
    public async Task ScoreAsync_ModelThrows_FailsOnlyThatRequest()
    {
        var model = new SlowModel { FailAge = 99 };
        await using var batcher = new ScoringBatcher(model, scorers: 1);
        var good = Enumerable.Range(0, 10).Select(i => batcher.ScoreAsync([Row(30 + i)])).ToList();
        var bad = batcher.ScoreAsync([Row(99)]);

        await Should.ThrowAsync<InvalidOperationException>(() => bad);
        (await Task.WhenAll(good)).ShouldAllBe(r => r.Count == 1);
    }

    private static FeatureRow Row(int age)
    {
        var row = FakeScoringModel.BankSchema;
        return new FeatureRow(
            row.Numeric.ToDictionary(n => n, n => n == "age" ? age : 1f),
            row.Categorical.ToDictionary(c => c, c => c == "job" ? "student" : "unknown"));
    }

    /// <summary>The fake model with a fixed cost per call, like ML.NET's per-call data view.</summary>
    private sealed class SlowModel : IScoringModel
    {
        private readonly FakeScoringModel inner = new();
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public float? FailAge { get; init; }

        public ServedModelInfo Info => inner.Info;

        public FeatureSchema Schema => inner.Schema;

        public IReadOnlyList<Prediction> Score(IReadOnlyList<FeatureRow> rows)
        {
            Interlocked.Increment(ref calls);
            Thread.Sleep(10);
            if (rows.Any(r => r.Numeric["age"] == FailAge))
            {
                throw new InvalidOperationException("bad row");
            }

            return inner.Score(rows);
        }

        public Explanation Explain(FeatureRow row) => inner.Explain(row);
    }
}
