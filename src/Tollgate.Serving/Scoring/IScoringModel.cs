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

    /// <summary>
    /// Scores rows in order into <paramref name="into"/> (one slot per row); single and batch requests both come through
    /// here (one feature code path). The caller owns the slots, so a served row allocates no answer.
    /// </summary>
    void Score(IReadOnlyList<FeatureRow> rows, Span<Prediction> into);

    Explanation Explain(FeatureRow row);
}
