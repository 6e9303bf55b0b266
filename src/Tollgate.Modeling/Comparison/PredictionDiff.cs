using System.Globalization;
using nietras.SeparatedValues;

namespace Tollgate.Modeling.Comparison;

/// <summary>
/// Candidate vs production, row by row on the holdout: score differences and, for binary models, decision flips at each
/// model's own threshold. <see cref="Write"/> saves every row, largest change first, for review.
/// </summary>
public sealed class PredictionDiff
{
    public const string FileName = "diff.csv";

    private PredictionDiff(string[] keys, DateTime[] timestamps, float[] labels, double[] production, double[] candidate, double? productionThreshold, double? candidateThreshold)
    {
        Keys = keys;
        Timestamps = timestamps;
        Labels = labels;
        Production = production;
        Candidate = candidate;
        ProductionThreshold = productionThreshold;
        CandidateThreshold = candidateThreshold;
        Delta = [.. candidate.Select((c, i) => c - production[i])];
        if (productionThreshold is { } pt && candidateThreshold is { } ct)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                var was = production[i] >= pt;
                var now = candidate[i] >= ct;
                if (was && !now)
                {
                    PositiveToNegative++;
                }
                else if (!was && now)
                {
                    NegativeToPositive++;
                }
            }
        }
    }

    public string[] Keys { get; }

    public DateTime[] Timestamps { get; }

    public float[] Labels { get; }

    public double[] Production { get; }

    public double[] Candidate { get; }

    /// <summary>Candidate minus production, per row.</summary>
    public double[] Delta { get; }

    public double? ProductionThreshold { get; }

    public double? CandidateThreshold { get; }

    public int PositiveToNegative { get; }

    public int NegativeToPositive { get; }

    public int Count => Keys.Length;

    /// <summary>Share of rows whose decision differs (binary); 0 for regression.</summary>
    public double FlipRate => Count == 0 ? 0 : (PositiveToNegative + NegativeToPositive) / (double)Count;

    public static PredictionDiff Create(string[] keys, DateTime[] timestamps, float[] labels, double[] production, double[] candidate, double? productionThreshold, double? candidateThreshold) =>
        new(keys, timestamps, labels, production, candidate, productionThreshold, candidateThreshold);

    public double ShareAbove(double absoluteChange) => Count == 0 ? 0 : Delta.Count(d => Math.Abs(d) > absoluteChange) / (double)Count;

    /// <summary>Row indices by descending absolute change (ties by key).</summary>
    public IEnumerable<int> LargestChanges() =>
        Enumerable.Range(0, Count).OrderByDescending(i => Math.Abs(Delta[i])).ThenBy(i => Keys[i], StringComparer.Ordinal);

    public string Flip(int i) =>
        ProductionThreshold is not { } pt || CandidateThreshold is not { } ct
            ? string.Empty
            : (Production[i] >= pt, Candidate[i] >= ct) switch
            {
                (true, false) => "positive→negative",
                (false, true) => "negative→positive",
                _ => string.Empty,
            };

    public void Write(string path)
    {
        var tmp = path + ".tmp";
        using (var writer = Sep.New(',').Writer().ToFile(tmp))
        {
            foreach (var i in LargestChanges())
            {
                using var row = writer.NewRow();
                row["key"].Set(Keys[i]);
                row["timestamp"].Set(Timestamps[i].ToString("O", CultureInfo.InvariantCulture));
                row["label"].Set(Labels[i].ToString("R", CultureInfo.InvariantCulture));
                row["production"].Set(Production[i].ToString("R", CultureInfo.InvariantCulture));
                row["candidate"].Set(Candidate[i].ToString("R", CultureInfo.InvariantCulture));
                row["delta"].Set(Delta[i].ToString("R", CultureInfo.InvariantCulture));
                row["flip"].Set(Flip(i));
            }
        }

        File.Move(tmp, path, overwrite: true);
    }
}
