using Tollgate.Modeling.Data;
using Tollgate.Modeling.Scoring;

namespace Tollgate.Modeling.Tests.Fixtures;

/// <summary>Real rows of a run's data for scoring tests, as tables and as single rows, and scores as bits to compare.</summary>
public static class ScoringRows
{
    /// <summary>Every accepted row of the run's data (or the last <paramref name="count"/>: the holdout period), as the modelling stages read them.</summary>
    public static FeatureTable Of(ModelingRun run, int? count = null)
    {
        var all = RunData.Load(run.Context, checkTrainSplit: false).Table.Features;
        return count is { } n ? all.Select([.. Enumerable.Range(all.Count - n, n)]) : all;
    }

    /// <summary>The table's rows one by one, each holding its values by feature name.</summary>
    public static List<FeatureRow> ToRows(FeatureTable table) =>
        [.. Enumerable.Range(0, table.Count).Select(r => new FeatureRow(
            table.Schema.Numeric.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => table.Numeric[p.i][r]),
            table.Schema.Categorical.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => table.Categorical[p.i][r])))];

    public static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];
}
