using Shouldly;
using Tollgate.Modeling.Data;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Tests.Fixtures;
using static Tollgate.Modeling.Tests.Fixtures.ScoringRows;

namespace Tollgate.Modeling.Tests.Scoring;

/// <summary>
/// The single-row path (<see cref="TrainedModel.ScoreRows(IReadOnlyList{FeatureRow})"/>, what the server calls) against the table path that training
/// and holdout-validate use, on real bank rows: the same transforms must give the same bits.
/// </summary>
public sealed class RowScoringTests(CandidateFixture fixture) : IClassFixture<CandidateFixture>
{
    [Fact]
    public void ScoreRows_RealBankRows_IdenticalToTheTablePathToTheLastBit()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);
        var table = RealRows(model, 3000);
        var rows = ToRows(table);

        var viaTable = model.Model.Score(table);
        var viaRows = model.Model.ScoreRows(rows);
        var oneByOne = rows.Select(r => model.Score([r])[0]).ToList();

        Bits(viaRows.Scores).ShouldBe(Bits(viaTable.Scores));
        Bits(viaRows.RawScores).ShouldBe(Bits(viaTable.RawScores));
        Bits([.. oneByOne.Select(p => p.Score)]).ShouldBe(Bits(viaTable.Scores));
        viaTable.Scores.Distinct().Count().ShouldBeGreaterThan(100, "real rows must exercise many tree paths, not one constant score");
    }

    [Fact]
    public void ScoreRows_RowsHoldingValuesByPosition_SameBitsAsDictionaryRows()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);
        var table = RealRows(model, 500);
        var numericIndex = FeatureIndex.Of(table.Schema.Numeric);
        var categoricalIndex = FeatureIndex.Of(table.Schema.Categorical);
        var positional = Enumerable.Range(0, table.Count).Select(r =>
        {
            // Filled in reverse order, as a request may list its fields in any order.
            var numeric = new FeatureValues<float>(numericIndex);
            var categorical = new FeatureValues<string>(categoricalIndex);
            for (var i = table.Schema.Numeric.Count - 1; i >= 0; i--)
            {
                numeric.TrySet(table.Schema.Numeric[i], table.Numeric[i][r]).ShouldBeTrue();
            }

            for (var i = table.Schema.Categorical.Count - 1; i >= 0; i--)
            {
                categorical.TrySet(table.Schema.Categorical[i], table.Categorical[i][r]).ShouldBeTrue();
            }

            return new FeatureRow(numeric, categorical);
        }).ToList();

        Bits(model.Model.ScoreRows(positional).Scores).ShouldBe(Bits(model.Model.ScoreRows(ToRows(table)).Scores));
    }

    [Fact]
    public void ScoreRows_ManyThreadsSingleRows_EachRowGetsItsOwnScore()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);
        var table = RealRows(model, 400);
        var rows = ToRows(table);
        var expected = Bits(model.Model.Score(table).Scores);

        var results = new long[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            // Each thread walks the rows from a different start, so concurrent scorers hold different rows at once.
            var mine = new long[rows.Count];
            for (var k = 0; k < rows.Count; k++)
            {
                var i = (k + (t * 50)) % rows.Count;
                mine[i] = BitConverter.DoubleToInt64Bits(model.Score([rows[i]])[0].Score);
            }

            results[t] = mine;
        });

        results.ShouldAllBe(r => r.SequenceEqual(expected));
    }

    [Fact]
    public void ScoreRows_BadRowInBatch_ThrowsNamingRowAndFeatureAndScorerStaysUsable()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);
        var rows = ToRows(RealRows(model, 3));
        var broken = new FeatureRow(rows[1].Numeric.Where(p => p.Key != "age").ToDictionary(), rows[1].Categorical);

        var ex = Should.Throw<ArgumentException>(() => model.Model.ScoreRows([rows[0], broken, rows[2]]));

        ex.Message.ShouldContain("row 1");
        ex.Message.ShouldContain("numeric feature 'age' is missing");
        Bits(model.Model.ScoreRows(rows).Scores).ShouldBe(Bits(model.Model.Score(FeatureTable.FromRows(model.Features, rows)).Scores));
    }

    [Fact]
    public void ScoreRows_ExtraFeature_ThrowsNamingIt()
    {
        using var model = CandidateModel.Load(fixture.Run.Run.CandidateDir);
        var row = ToRows(RealRows(model, 1))[0];
        var extra = new FeatureRow(row.Numeric.Append(new KeyValuePair<string, float>("duration", 3)).ToDictionary(), row.Categorical);

        Should.Throw<ArgumentException>(() => model.Model.ScoreRows([extra])).Message.ShouldContain("'duration' is not a feature of this model");
    }

    /// <summary>The last <paramref name="count"/> accepted bank rows (the holdout period), as the modeling stages read them.</summary>
    private FeatureTable RealRows(CandidateModel model, int count)
    {
        var rows = ScoringRows.Of(fixture.Run, count);
        rows.Schema.All.ShouldBe(model.Features.All);
        return rows;
    }
}
