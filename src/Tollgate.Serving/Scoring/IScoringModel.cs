using Tollgate.Modeling.Scoring;

namespace Tollgate.Serving.Scoring;

/// <summary>
/// What the server needs from a model: its schema and identity, batch scoring, and a per-row explanation.
/// <see cref="CandidateScoringModel"/> adapts the modeling stage's candidate; tests may put a fake behind it.
/// Implementations must be thread-safe: Kestrel calls them from many requests at once.
/// </summary>
public interface IScoringModel
{
    ServedModelInfo Info { get; }

    FeatureSchema Schema { get; }

    /// <summary>Scores rows in order; single and batch requests both come through here (one feature code path).</summary>
    IReadOnlyList<Prediction> Score(IReadOnlyList<FeatureRow> rows);

    Explanation Explain(FeatureRow row);
}
