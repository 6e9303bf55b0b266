namespace Tollgate.Modeling.Scoring;

/// <summary>One row to score: numeric and categorical feature values by feature name.</summary>
public sealed class FeatureRow
{
    public FeatureRow(IReadOnlyDictionary<string, float> numeric, IReadOnlyDictionary<string, string> categorical)
    {
        Numeric = numeric ?? throw new ArgumentNullException(nameof(numeric));
        Categorical = categorical ?? throw new ArgumentNullException(nameof(categorical));
    }

    /// <summary>Numeric values; <see cref="float.NaN"/> means missing.</summary>
    public IReadOnlyDictionary<string, float> Numeric { get; }

    /// <summary>Categorical values as they appear in the data (e.g. <c>unknown</c>).</summary>
    public IReadOnlyDictionary<string, string> Categorical { get; }
}
