using System.Globalization;
using nietras.SeparatedValues;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Modeling.Scoring;

namespace Tollgate.Modeling.Data;

/// <summary>
/// Reads the dumps Validate-Data accepted (<c>validate-data/accepted.json</c>) into a <see cref="ModelTable"/>. Every
/// file's SHA-256 is checked first: a dump changed after validation is refused, never silently trained on.
/// </summary>
public static class DatasetReader
{
    /// <summary>
    /// Reads <paramref name="manifest"/>'s files (paths relative to <paramref name="repoRoot"/>), keeping
    /// <paramref name="extraColumns"/> (non-feature columns such as slice columns) as text.
    /// </summary>
    public static ModelTable Read(string repoRoot, DataManifest manifest, ModelSpec spec, IReadOnlyCollection<string>? extraColumns = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(spec);
        if (manifest.Files.Count == 0)
        {
            throw new ConfigurationException("validate-data/accepted.json lists no data files; there is nothing to train on. Add dumps to " + spec.IncomingPath + " and re-run validate-data.");
        }

        var extras = (extraColumns ?? []).Where(c => !spec.AllFeatures.Contains(c)).Distinct().ToList();
        var schema = new FeatureSchema(spec.NumericFeatures, spec.CategoricalFeatures);
        var numeric = spec.NumericFeatures.Select(_ => new List<float>()).ToArray();
        var categorical = spec.CategoricalFeatures.Select(_ => new List<string>()).ToArray();
        var extra = extras.Select(_ => new List<string>()).ToArray();
        var labels = new List<float>();
        var timestamps = new List<DateTime>();
        var keys = new List<string>();
        var labelCounts = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(repoRoot, file.Path);
            if (!File.Exists(path))
            {
                throw new ConfigurationException($"{file.Path}: listed in validate-data/accepted.json but not found. Re-run validate-data.");
            }

            var actual = Sha256.OfFile(path);
            if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ConfigurationException(
                    $"{file.Path}: sha256 {actual} does not match {file.Sha256} recorded by validate-data; the file changed after validation. Re-run validate-data on it.");
            }

            ReadFile(path, file.Path, manifest.Delimiter, spec, extras, numeric, categorical, extra, labels, timestamps, keys, labelCounts);
        }

        // Stable sort by time: the split and every per-period figure rely on time order, whatever the file order.
        var order = Enumerable.Range(0, labels.Count).OrderBy(i => timestamps[i]).ThenBy(i => i).ToArray();
        var table = new FeatureTable(
            schema,
            [.. numeric.Select(c => order.Select(i => c[i]).ToArray())],
            [.. categorical.Select(c => order.Select(i => c[i]).ToArray())],
            [.. order.Select(i => labels[i])]);
        return new ModelTable(
            table,
            [.. order.Select(i => timestamps[i])],
            [.. order.Select(i => keys[i])],
            extras.Select((c, k) => (c, values: order.Select(i => extra[k][i]).ToArray())).ToDictionary(p => p.c, p => p.values),
            labelCounts);
    }

    private static void ReadFile(
        string path,
        string display,
        char delimiter,
        ModelSpec spec,
        List<string> extras,
        List<float>[] numeric,
        List<string>[] categorical,
        List<string>[] extra,
        List<float> labels,
        List<DateTime> timestamps,
        List<string> keys,
        Dictionary<string, int> labelCounts)
    {
        using var reader = Sep.New(delimiter).Reader(o => o with { Unescape = true }).FromFile(path);
        var header = reader.Header.ColNames;
        int Index(string column) => header.ToList().IndexOf(column) is var i and >= 0
            ? i
            : throw new ConfigurationException($"{display}: column '{column}' (from {spec.SpecPath}) is not in the header ({string.Join(", ", header)}).");

        var numIdx = spec.NumericFeatures.Select(Index).ToArray();
        var catIdx = spec.CategoricalFeatures.Select(Index).ToArray();
        var extraIdx = extras.Select(Index).ToArray();
        var labelIdx = Index(spec.LabelColumn);
        var tsIdx = Index(spec.TimestampColumn);
        var keyIdx = spec.KeyColumns.Select(Index).ToArray();
        var regression = spec.Task == TaskKind.Regression;
        var line = 1;
        foreach (var row in reader)
        {
            line++;
            for (var i = 0; i < numIdx.Length; i++)
            {
                var text = row[numIdx[i]].Span.Trim();
                numeric[i].Add(text.Length == 0 ? float.NaN : ParseFloat(text, display, line, spec.NumericFeatures[i]));
            }

            for (var i = 0; i < catIdx.Length; i++)
            {
                categorical[i].Add(row[catIdx[i]].ToString());
            }

            for (var i = 0; i < extraIdx.Length; i++)
            {
                extra[i].Add(row[extraIdx[i]].ToString());
            }

            var label = row[labelIdx].ToString();
            labelCounts[label] = labelCounts.GetValueOrDefault(label) + 1;
            labels.Add(regression ? ParseFloat(label.AsSpan().Trim(), display, line, spec.LabelColumn) : label == spec.PositiveClass ? 1f : 0f);

            var ts = row[tsIdx].ToString();
            timestamps.Add(ModelSpecLoader.ParseTimestamp(spec, ts)
                ?? throw new ConfigurationException($"{display}:{line}: timestamp '{ts}' in column '{spec.TimestampColumn}' does not match the format '{spec.TimestampFormat}' of {spec.SpecPath}."));
            if (keyIdx.Length == 0)
            {
                keys.Add($"{display}:{line}");
            }
            else
            {
                var parts = new string[keyIdx.Length];
                for (var k = 0; k < keyIdx.Length; k++)
                {
                    parts[k] = row[keyIdx[k]].ToString();
                }

                keys.Add(string.Join('|', parts));
            }
        }
    }

    private static float ParseFloat(ReadOnlySpan<char> text, string file, int line, string column) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new ConfigurationException($"{file}:{line}: column '{column}' expected a number, found '{text.ToString()}'. Fix the dump or the contract, then re-run validate-data.");
}
