using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Errors;
using Tollgate.Core.Specs;

namespace Tollgate.Release.Shadow;

/// <summary>
/// Requests for replay and smoke tests, newest first: the <c>received</c> rows of serving-log JSON Lines (what clients
/// really sent production), else — before anything has served — rows of the newest incoming dumps, which also carry
/// the label, so the online metric can be computed.
/// </summary>
public static class ReplaySource
{
    /// <summary>Up to <paramref name="count"/> rows and a description of where they came from.</summary>
    public static (IReadOnlyList<ReplayRow> Rows, string Source) Load(string repoRoot, ModelSpec spec, string? configured, string servingLogRoot, int count)
    {
        if (configured is not null)
        {
            var path = Path.GetFullPath(configured, repoRoot);
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new ConfigurationException($"{spec.SpecPath}: 'shadow.replay': {configured} does not exist; point it at a serving-log folder or .jsonl file, or remove it.");
            }

            return (FromServingLog(path, count), $"serving log {configured}");
        }

        var logged = Directory.Exists(servingLogRoot) ? FromServingLog(servingLogRoot, count) : [];
        if (logged.Count >= count)
        {
            return (logged, $"serving log {servingLogRoot}");
        }

        var incoming = Path.Combine(repoRoot, spec.IncomingPath);
        var rows = logged.Concat(FromDumps(incoming, spec, count - logged.Count)).ToList();
        return (rows, logged.Count > 0 ? $"serving log {servingLogRoot} ({logged.Count}) and newest dumps in {spec.IncomingPath}" : $"newest dumps in {spec.IncomingPath} (no serving log yet)");
    }

    public static IReadOnlyList<ReplayRow> FromServingLog(string path, int count)
    {
        var files = File.Exists(path)
            ? [path]
            : Directory.GetFiles(path, "*.jsonl", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).ToArray();
        var rows = new List<ReplayRow>();
        foreach (var file in files)
        {
            foreach (var line in File.ReadLines(file))
            {
                if (rows.Count >= count)
                {
                    return rows;
                }

                try
                {
                    if (JsonNode.Parse(line) is JsonObject o && o["received"] is JsonObject received)
                    {
                        rows.Add(new ReplayRow((JsonObject)received.DeepClone(), null));
                    }
                }
                catch (JsonException)
                {
                    // A line cut by rotation or a crash: skip it.
                }
            }
        }

        return rows;
    }

    public static IReadOnlyList<ReplayRow> FromDumps(string incoming, ModelSpec spec, int count)
    {
        var rows = new List<ReplayRow>();
        if (count <= 0 || !Directory.Exists(incoming))
        {
            return rows;
        }

        var numeric = spec.NumericFeatures.ToHashSet(StringComparer.Ordinal);
        var wanted = spec.AllFeatures.ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(incoming, "*.csv").OrderByDescending(f => f, StringComparer.Ordinal))
        {
            using var reader = new StreamReader(file);
            var header = reader.ReadLine()?.Split(';').Select(Unquote).ToArray();
            if (header is null)
            {
                continue;
            }

            while (reader.ReadLine() is { } line && rows.Count < count)
            {
                var cells = line.Split(';');
                if (cells.Length != header.Length)
                {
                    continue;
                }

                var row = new JsonObject();
                bool? truth = null;
                for (var i = 0; i < header.Length; i++)
                {
                    var value = Unquote(cells[i]);
                    if (header[i] == spec.LabelColumn && spec.PositiveClass is not null)
                    {
                        truth = value == spec.PositiveClass;
                    }
                    else if (wanted.Contains(header[i]))
                    {
                        row[header[i]] = numeric.Contains(header[i]) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                            ? JsonValue.Create(d)
                            : JsonValue.Create(value);
                    }
                }

                rows.Add(new ReplayRow(row, truth));
            }

            if (rows.Count >= count)
            {
                break;
            }
        }

        return rows;
    }

    private static string Unquote(string cell) =>
        cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : cell;
}
