namespace Tollgate.Modeling.Evaluation;

/// <summary>One reliability bin: rows whose predicted probability falls in [<paramref name="From"/>, <paramref name="To"/>).</summary>
public sealed record CalibrationBin(double From, double To, int Rows, double MeanPredicted, double ObservedRate)
{
    /// <summary>Ten equal-width bins over [0, 1]; empty bins are left out.</summary>
    public static IReadOnlyList<CalibrationBin> Compute(IReadOnlyList<float> labels, IReadOnlyList<double> scores, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        return Enumerable.Range(0, scores.Count)
            .GroupBy(i => Math.Min(bins - 1, (int)Math.Floor(Math.Clamp(scores[i], 0, 1) * bins)))
            .OrderBy(g => g.Key)
            .Select(g => new CalibrationBin(
                g.Key / (double)bins,
                (g.Key + 1) / (double)bins,
                g.Count(),
                g.Average(i => scores[i]),
                g.Average(i => (double)labels[i])))
            .ToList();
    }

    /// <summary>Expected calibration error: row-weighted mean |predicted − observed| over the bins.</summary>
    public static double ExpectedError(IReadOnlyList<CalibrationBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        var total = bins.Sum(b => b.Rows);
        return total == 0 ? double.NaN : bins.Sum(b => b.Rows * Math.Abs(b.MeanPredicted - b.ObservedRate)) / total;
    }
}
