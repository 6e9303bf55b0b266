namespace Tollgate.Modeling.Evaluation;

/// <summary>
/// Confusion counts at every distinct score, highest first: at <see cref="Thresholds"/>[k] a row is predicted positive
/// when its score is ≥ that value. This is the exact ROC and precision-recall curve — no grid — used for AUC, PR-AUC,
/// plots and the threshold search.
/// </summary>
public sealed class ThresholdCurve
{
    private ThresholdCurve(double[] thresholds, int[] truePositives, int[] falsePositives, int positives, int negatives)
    {
        Thresholds = thresholds;
        TruePositives = truePositives;
        FalsePositives = falsePositives;
        Positives = positives;
        Negatives = negatives;
    }

    /// <summary>Distinct scores, descending.</summary>
    public double[] Thresholds { get; }

    public int[] TruePositives { get; }

    public int[] FalsePositives { get; }

    public int Positives { get; }

    public int Negatives { get; }

    public int Count => Thresholds.Length;

    public static ThresholdCurve Build(IReadOnlyList<float> labels, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var thresholds = new List<double>();
        var tp = new List<int>();
        var fp = new List<int>();
        int t = 0, f = 0;
        for (var k = 0; k < order.Length; k++)
        {
            var i = order[k];
            if (labels[i] > 0.5f)
            {
                t++;
            }
            else
            {
                f++;
            }

            // Emit a point only after the last row of a run of equal scores: ties move together.
            if (k == order.Length - 1 || scores[order[k + 1]] != scores[i])
            {
                thresholds.Add(scores[i]);
                tp.Add(t);
                fp.Add(f);
            }
        }

        return new ThresholdCurve([.. thresholds], [.. tp], [.. fp], t, f);
    }

    public double Precision(int k) => TruePositives[k] + FalsePositives[k] == 0 ? 1 : TruePositives[k] / (double)(TruePositives[k] + FalsePositives[k]);

    public double Recall(int k) => Positives == 0 ? 0 : TruePositives[k] / (double)Positives;

    public double FalsePositiveRate(int k) => Negatives == 0 ? 0 : FalsePositives[k] / (double)Negatives;

    /// <summary>Area under the ROC curve (trapezoids; ties count one half, as in the Mann-Whitney statistic). NaN with one class.</summary>
    public double Auc()
    {
        if (Positives == 0 || Negatives == 0)
        {
            return double.NaN;
        }

        double area = 0, prevFpr = 0, prevTpr = 0;
        for (var k = 0; k < Count; k++)
        {
            var fpr = FalsePositiveRate(k);
            var tpr = Recall(k);
            area += (fpr - prevFpr) * (tpr + prevTpr) / 2;
            prevFpr = fpr;
            prevTpr = tpr;
        }

        return area;
    }

    /// <summary>Area under the precision-recall curve as average precision: Σ (Rₖ − Rₖ₋₁)·Pₖ. NaN without positives.</summary>
    public double AveragePrecision()
    {
        if (Positives == 0)
        {
            return double.NaN;
        }

        double ap = 0, prevRecall = 0;
        for (var k = 0; k < Count; k++)
        {
            var r = Recall(k);
            ap += (r - prevRecall) * Precision(k);
            prevRecall = r;
        }

        return ap;
    }
}
