namespace Tollgate.Core.Specs;

/// <summary>
/// Holdout gates. Gates fail closed: a spec without any gate is a configuration error, never an automatic pass.
/// </summary>
/// <param name="Minimum">Absolute floors for higher-is-better metrics (e.g. <c>auc: 0.70</c>).</param>
/// <param name="Maximum">Absolute ceilings for lower-is-better metrics (e.g. <c>logLoss: 0.5</c>).</param>
/// <param name="MinimumGainOverBaseline">Least improvement over the naive baseline, in the metric's better direction.</param>
public sealed record GateSpec(
    IReadOnlyDictionary<string, double> Minimum,
    IReadOnlyDictionary<string, double> Maximum,
    IReadOnlyDictionary<string, double> MinimumGainOverBaseline)
{
    public bool IsEmpty => Minimum.Count + Maximum.Count + MinimumGainOverBaseline.Count == 0;
}
