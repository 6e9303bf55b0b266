using System.Text.Json.Serialization;

namespace Tollgate.Modeling.Scoring;

/// <summary>
/// The features a model reads, by name: numeric columns (floats; NaN means missing) and categorical columns (strings;
/// <c>unknown</c> is an ordinary category). The order is the order of model.yaml and of the model's feature vector.
/// </summary>
/// <param name="Numeric">Numeric feature names.</param>
/// <param name="Categorical">Categorical feature names.</param>
public sealed record FeatureSchema(IReadOnlyList<string> Numeric, IReadOnlyList<string> Categorical)
{
    /// <summary>Every feature name, numeric first.</summary>
    [JsonIgnore]
    public IEnumerable<string> All => Numeric.Concat(Categorical);

    /// <summary>
    /// Problems with a row as one sentence each (missing or unknown features); empty when the row can be scored.
    /// A server can answer 400 with these before calling <see cref="CandidateModel.Score(IReadOnlyList{FeatureRow})"/>.
    /// </summary>
    public IReadOnlyList<string> Validate(FeatureRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var problems = new List<string>();
        foreach (var name in Numeric.Where(n => !row.Numeric.ContainsKey(n)))
        {
            problems.Add(row.Categorical.ContainsKey(name)
                ? $"feature '{name}' is numeric but was given as text."
                : $"numeric feature '{name}' is missing.");
        }

        foreach (var name in Categorical.Where(n => !row.Categorical.ContainsKey(n)))
        {
            problems.Add(row.Numeric.ContainsKey(name)
                ? $"feature '{name}' is categorical but was given as a number."
                : $"categorical feature '{name}' is missing.");
        }

        foreach (var name in row.Numeric.Keys.Concat(row.Categorical.Keys).Where(n => !Numeric.Contains(n) && !Categorical.Contains(n)))
        {
            problems.Add($"'{name}' is not a feature of this model (features: {string.Join(", ", All)}).");
        }

        return problems;
    }
}
