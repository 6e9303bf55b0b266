using System.Globalization;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Specs;
using Tollgate.Modeling.Data;

namespace Tollgate.Modeling.Training;

/// <summary>
/// Splits time-ordered data into training rows and a later holdout, per model.yaml's <c>holdout</c>: the last N days
/// (the last day of data and the N-1 days before it), or the latest fraction of rows by time, widened so that all rows
/// of one timestamp land on the same side. Training rows are always strictly older than every holdout row.
/// </summary>
public static class TimeSplit
{
    /// <summary>Indices of training and holdout rows of <paramref name="table"/> (which is sorted by time).</summary>
    public static (int[] Train, int[] Holdout, SplitInfo Info) Apply(ModelTable table, ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(spec);
        if (table.Count == 0)
        {
            throw new ConfigurationException("the accepted data has no rows; there is nothing to split into training and holdout.");
        }

        var ts = table.Timestamps;
        var first = ts[0];
        var last = ts[^1];
        var days = (int)(last.Date - first.Date).TotalDays + 1;
        DateTime cutoff;
        if (spec.Holdout.LastDays is { } n)
        {
            cutoff = last.Date.AddDays(-(n - 1));
        }
        else
        {
            var k = (int)Math.Ceiling(table.Count * spec.Holdout.LatestFraction!.Value);
            cutoff = ts[Math.Max(0, table.Count - k)];
        }

        var holdout = Enumerable.Range(0, table.Count).Where(i => ts[i] >= cutoff).ToArray();
        var train = Enumerable.Range(0, table.Count).Where(i => ts[i] < cutoff).ToArray();
        var span = $"the data spans {days} days ({first:yyyy-MM-dd} to {last:yyyy-MM-dd}, {table.Count} rows)";
        if (holdout.Length == 0)
        {
            throw new ConfigurationException($"{spec.SpecPath}: 'holdout' ({spec.Holdout}) selects no rows; {span}. Choose a window that covers recent data.");
        }

        if (train.Length == 0)
        {
            throw new ConfigurationException(
                $"{spec.SpecPath}: 'holdout' ({spec.Holdout}) covers all the data, leaving nothing to train on; {span}. Choose a shorter holdout or supply older data.");
        }

        // The whole point of a time split: the model never sees the holdout period. Fail loudly if that ever breaks.
        if (ts[train[^1]] >= ts[holdout[0]])
        {
            throw new InvalidOperationException($"time split overlap: train ends {ts[train[^1]]:O}, holdout starts {ts[holdout[0]]:O}");
        }

        var info = new SplitInfo
        {
            Rule = spec.Holdout.ToString(),
            HoldoutStart = ts[holdout[0]],
            HoldoutEnd = last,
            TrainStart = first,
            TrainEnd = ts[train[^1]],
            TrainRows = train.Length,
            HoldoutRows = holdout.Length,
            HoldoutKeysSha256 = Sha256.OfText(string.Join('\n', holdout.Select(i => table.Keys[i]))),
            DataDays = days,
        };
        return (train, holdout, info);
    }

    /// <summary>Formats a timestamp for reports: a date when it has no time part.</summary>
    public static string Format(DateTime t) =>
        t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("O", CultureInfo.InvariantCulture);
}
