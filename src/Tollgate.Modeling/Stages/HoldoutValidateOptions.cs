using Tollgate.Core.Specs;

namespace Tollgate.Modeling.Stages;

/// <summary>
/// Holdout-Validate's settings from model.yaml's optional <c>validation:</c> section.
/// </summary>
public sealed record HoldoutValidateOptions
{
    /// <summary>Bootstrap resamples for confidence intervals. <value>Default 500; 0 turns intervals off.</value></summary>
    public int BootstrapResamples { get; init; } = 500;

    /// <summary>Confidence level of the intervals. <value>Default 0.95.</value></summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>
    /// When true, every gain-over-baseline gate also needs the lower end of the gain's bootstrap interval above zero,
    /// so a gain that could be noise does not pass. <value>Default false.</value>
    /// </summary>
    public bool RequireSignificantGain { get; init; }

    /// <summary>Reads <c>validation: { bootstrapResamples, confidence, requireSignificantGain }</c>; errors collected in <paramref name="errors"/>.</summary>
    public static HoldoutValidateOptions FromSpec(ModelSpec spec, SpecErrors errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var section = spec.ReadSection("validation", errors);
        if (section is null)
        {
            return new HoldoutValidateOptions();
        }

        section.RejectUnknownKeys("bootstrapResamples", "confidence", "requireSignificantGain");
        var defaults = new HoldoutValidateOptions();
        return new HoldoutValidateOptions
        {
            BootstrapResamples = section.Integer("bootstrapResamples", min: 0, max: 100_000) ?? defaults.BootstrapResamples,
            Confidence = section.Number("confidence", min: 0.5, max: 0.999) ?? defaults.Confidence,
            RequireSignificantGain = section.Boolean("requireSignificantGain") ?? defaults.RequireSignificantGain,
        };
    }
}
