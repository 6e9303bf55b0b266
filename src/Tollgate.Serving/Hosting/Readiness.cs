using Tollgate.Modeling.Scoring;
using Tollgate.Serving.Contracts;
using Tollgate.Serving.Scoring;

namespace Tollgate.Serving.Hosting;

/// <summary>
/// Ready means a warm-up prediction and explanation on a contract-valid row succeeded: the model file loaded, native
/// libraries resolved and the first (slow, JIT-heavy) call is done before any load balancer sends traffic.
/// </summary>
public sealed class Readiness
{
    private volatile bool ready;
    private volatile string status = "warming up";

    public bool IsReady => ready;

    /// <summary>Why warming up <c>/v1/explain</c> failed, or null.</summary>
    public string? ExplainError { get; private set; }

    /// <summary>What the readiness probe reports: <c>ready</c>, <c>warming up</c> or why warm-up failed.</summary>
    public string Status => status;

    /// <summary>A row every contract accepts: each numeric feature at its minimum (or 0), each category its first allowed value.</summary>
    public static FeatureRow WarmUpRow(FeatureSchema schema, ServingContract contract)
    {
        var numeric = schema.Numeric.ToDictionary(
            n => n,
            n => contract.Fields.TryGetValue(n, out var f) ? (float)Math.Clamp(0d, f.Minimum ?? double.MinValue, f.Maximum ?? double.MaxValue) : 0f,
            StringComparer.Ordinal);
        var categorical = schema.Categorical.ToDictionary(
            c => c,
            c => contract.Fields.TryGetValue(c, out var f) && f.ValidValues is { Count: > 0 } values ? values.Order(StringComparer.Ordinal).First() : "unknown",
            StringComparer.Ordinal);
        return new FeatureRow(numeric, categorical);
    }

    /// <summary>Runs the warm-up; on failure the server stays live but not ready, and says why.</summary>
    public void WarmUp(IScoringModel model, ServingContract contract)
    {
        try
        {
            var row = WarmUpRow(model.Schema, contract);
            var answer = new Prediction[1];
            model.Score([row], answer);
            var prediction = answer[0];
            if (!double.IsFinite(prediction.Score))
            {
                status = $"warm-up prediction returned a non-finite score ({prediction.Score})";
                return;
            }

            status = "ready";
            ready = true;
        }
#pragma warning disable CA1031 // Any failure of the warm-up means "not ready", reported by the probe; the process stays up to say so.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            status = $"warm-up prediction failed: {ex.GetType().Name}: {ex.Message}";
            return;
        }

        // Explanations are warmed too (the first one builds the contribution calculator), but a failure there leaves
        // predictions serving: readiness is about /v1/predict, and the status says what is wrong with /v1/explain.
        try
        {
            model.Explain(WarmUpRow(model.Schema, contract));
        }
#pragma warning disable CA1031 // Any failure of the warm-up means "not ready", reported by the probe; the process stays up to say so.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ExplainError = $"{ex.GetType().Name}: {ex.Message}";
            status = $"ready; explain unavailable: {ExplainError}";
        }
    }
}
