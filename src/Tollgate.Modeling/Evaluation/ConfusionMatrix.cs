namespace Tollgate.Modeling.Evaluation;

/// <summary>Counts at one threshold (predicted positive when score ≥ threshold).</summary>
public sealed record ConfusionMatrix(double Threshold, int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    public int Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>Precision; 0 when nothing is predicted positive (no positive call can be right).</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : TruePositives / (double)(TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : TruePositives / (double)(TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public double Accuracy => Total == 0 ? double.NaN : (TruePositives + TrueNegatives) / (double)Total;

    /// <summary>Share of rows predicted positive.</summary>
    public double PositiveRate => Total == 0 ? double.NaN : (TruePositives + FalsePositives) / (double)Total;

    public static ConfusionMatrix At(IReadOnlyList<float> labels, IReadOnlyList<double> scores, double threshold)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var positive = labels[i] > 0.5f;
            var predicted = scores[i] >= threshold;
            if (predicted)
            {
                if (positive)
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }
            else if (positive)
            {
                fn++;
            }
            else
            {
                tn++;
            }
        }

        return new ConfusionMatrix(threshold, tp, fp, tn, fn);
    }
}
