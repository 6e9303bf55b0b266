using Tollgate.Modeling.Scoring;
using Tollgate.Serving.Scoring;

namespace Tollgate.Serving.Tests.Support;

/// <summary>
/// A transparent stand-in for a trained candidate: a logistic function of the bank features, so tests know the exact
/// score each row must get. Real-model behaviour is covered by <c>RealCandidateTests</c>.
/// </summary>
public sealed class FakeScoringModel : IScoringModel
{
    public static readonly FeatureSchema BankSchema = new(
        ["age", "balance", "campaign", "pdays", "previous"],
        ["job", "marital", "education", "default", "housing", "loan", "contact", "month", "poutcome"]);

    private int scoreCalls;

    public ServedModelInfo Info { get; } = new(
        "bank-marketing", "20261127T070000Z-bank-marketing-abcd", "20261127T070000Z-bank-marketing-abcd", "binary-classification",
        0.3, "learned", new DateTimeOffset(2026, 11, 27, 7, 0, 0, TimeSpan.Zero), "2008-05-05", "2010-11-17", "0123abc");

    public FeatureSchema Schema => BankSchema;

    public int ScoreCalls => Volatile.Read(ref scoreCalls);

    public static double Raw(FeatureRow row) =>
        (0.02 * row.Numeric["age"]) - 1.0 + (row.Categorical["job"] == "student" ? 1.5 : 0) + (row.Categorical["poutcome"] == "success" ? 2 : 0);

    public static double Expected(FeatureRow row) => 1 / (1 + Math.Exp(-Raw(row)));

    /// <summary>The answers in a new array, for tests.</summary>
    public Prediction[] Score(IReadOnlyList<FeatureRow> rows)
    {
        var answers = new Prediction[rows.Count];
        Score(rows, answers);
        return answers;
    }

    public void Score(IReadOnlyList<FeatureRow> rows, Span<Prediction> into)
    {
        Interlocked.Increment(ref scoreCalls);
        for (var i = 0; i < rows.Count; i++)
        {
            into[i] = ToPrediction(Raw(rows[i]));
        }
    }

    public Explanation Explain(FeatureRow row)
    {
        var contributions = new List<FeatureContribution>
        {
            new("age", row.Numeric["age"].ToString(System.Globalization.CultureInfo.InvariantCulture), 0.02 * row.Numeric["age"]),
            new("job", row.Categorical["job"], row.Categorical["job"] == "student" ? 1.5 : 0),
            new("poutcome", row.Categorical["poutcome"], row.Categorical["poutcome"] == "success" ? 2 : 0),
        };
        return new Explanation(ToPrediction(Raw(row)), -1.0, [.. contributions.OrderByDescending(c => Math.Abs(c.Contribution))]);
    }

    private Prediction ToPrediction(double raw)
    {
        var p = 1 / (1 + Math.Exp(-raw));
        return new Prediction(p, raw, p >= Info.Threshold, Info.Threshold);
    }
}
