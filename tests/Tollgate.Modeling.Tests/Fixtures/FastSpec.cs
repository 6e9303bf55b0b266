namespace Tollgate.Modeling.Tests.Fixtures;

/// <summary>Edits of the bank-marketing model.yaml that keep tests fast and focused without changing what they test.</summary>
public static class FastSpec
{
    /// <summary>Sections of model.yaml the modelling stages read; tests start without them and add what they test.</summary>
    private static readonly string[] ModelingSections = ["validation", "slices", "compare", "importance", "thresholds"];

    /// <summary>
    /// Fewer boosting rounds (a model in about a second instead of four), 100 bootstrap resamples, and none of the
    /// optional modelling sections.
    /// </summary>
    public static string Apply(string yaml)
    {
        var stripped = ModelingSections.Aggregate(yaml, RemoveSection);
        return stripped.Replace("numberOfIterations: 200", "numberOfIterations: 60", StringComparison.Ordinal)
            + Environment.NewLine + "validation:\n  bootstrapResamples: 100\n";
    }

    /// <summary><see cref="Apply"/>, then a top-level YAML section appended.</summary>
    public static Func<string, string> With(string section) => yaml => Apply(yaml) + Environment.NewLine + section + Environment.NewLine;

    /// <summary>Removes a top-level key and its indented block.</summary>
    public static string RemoveSection(string yaml, string key)
    {
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var result = new List<string>();
        var skipping = false;
        foreach (var line in lines)
        {
            var topLevel = line.Length > 0 && !char.IsWhiteSpace(line[0]) && line[0] != '#';
            if (topLevel)
            {
                skipping = line.StartsWith(key + ":", StringComparison.Ordinal);
            }

            if (!skipping)
            {
                result.Add(line);
            }
        }

        return string.Join('\n', result);
    }
}
