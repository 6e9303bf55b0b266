using System.Globalization;
using nietras.SeparatedValues;
using Tollgate.Core.Errors;

namespace Tollgate.Modeling.Evaluation;

/// <summary>
/// <c>holdout-validate/scores.csv</c>: every holdout row's key, timestamp, label, the model's score and the baseline's.
/// Learn-Thresholds chooses the threshold from these saved scores, and a reviewer can recompute any metric from them.
/// </summary>
public sealed record HoldoutScores(string[] Keys, DateTime[] Timestamps, float[] Labels, double[] Scores, double[] Baseline)
{
    public const string FileName = "scores.csv";

    public void Write(string path)
    {
        var tmp = path + ".tmp";
        using (var writer = Sep.New(',').Writer().ToFile(tmp))
        {
            for (var i = 0; i < Keys.Length; i++)
            {
                using var row = writer.NewRow();
                row["key"].Set(Keys[i]);
                row["timestamp"].Set(Timestamps[i].ToString("O", CultureInfo.InvariantCulture));
                row["label"].Set(Labels[i].ToString("R", CultureInfo.InvariantCulture));
                row["score"].Set(Scores[i].ToString("R", CultureInfo.InvariantCulture));
                row["baseline"].Set(Baseline[i].ToString("R", CultureInfo.InvariantCulture));
            }
        }

        File.Move(tmp, path, overwrite: true);
    }

    public static HoldoutScores Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"{path}: holdout scores not found. Run 'tollgate holdout-validate' for this run first.");
        }

        var keys = new List<string>();
        var ts = new List<DateTime>();
        var labels = new List<float>();
        var scores = new List<double>();
        var baseline = new List<double>();
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true }).FromFile(path);
        foreach (var row in reader)
        {
            keys.Add(row["key"].ToString());
            ts.Add(DateTime.Parse(row["timestamp"].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
            labels.Add(float.Parse(row["label"].Span, CultureInfo.InvariantCulture));
            scores.Add(double.Parse(row["score"].Span, CultureInfo.InvariantCulture));
            baseline.Add(double.Parse(row["baseline"].Span, CultureInfo.InvariantCulture));
        }

        return new HoldoutScores([.. keys], [.. ts], [.. labels], [.. scores], [.. baseline]);
    }
}
