namespace Tollgate.Modeling.Scoring;

/// <summary>How much one feature moved a row's raw score away from the base value (all one-hot slots of a categorical summed).</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Value">The row's value of the feature, as text.</param>
/// <param name="Contribution">Contribution to the raw score (margin for binary models).</param>
public sealed record FeatureContribution(string Feature, string Value, double Contribution);
