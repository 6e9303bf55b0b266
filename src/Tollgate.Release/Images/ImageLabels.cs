using System.Globalization;
using System.Text.Json.Nodes;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;

namespace Tollgate.Release.Images;

/// <summary>
/// The image's labels: OCI's <c>org.opencontainers.image.*</c> (created, revision, version, source, title) and
/// Tollgate's <c>io.tollgate.*</c> (model, version, run id, data sha256, holdout metrics, threshold). Only facts about
/// the build — never credentials or environment values.
/// </summary>
public static class ImageLabels
{
    public const string Prefix = "io.tollgate.";

    public static IReadOnlyDictionary<string, string> Build(RunManifest manifest, JsonObject candidate, string version, string source, DateTimeOffset created)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["org.opencontainers.image.created"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["org.opencontainers.image.revision"] = manifest.GitCommit,
            ["org.opencontainers.image.version"] = version,
            ["org.opencontainers.image.source"] = source,
            ["org.opencontainers.image.title"] = $"tollgate model server: {manifest.Model}",
            [Prefix + "model.name"] = manifest.Model,
            [Prefix + "model.version"] = version,
            [Prefix + "run-id"] = manifest.RunId,
            [Prefix + "data.sha256"] = DataSha256(manifest),
        };
        if (candidate["threshold"] is JsonValue threshold && threshold.TryGetValue<double>(out var t))
        {
            labels[Prefix + "threshold"] = t.ToString("R", CultureInfo.InvariantCulture);
            labels[Prefix + "threshold.source"] = (string?)candidate["thresholdSource"] ?? "default";
        }

        if (candidate["holdoutMetrics"] is JsonObject metrics)
        {
            foreach (var (name, value) in metrics)
            {
                if (value is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d))
                {
                    labels[$"{Prefix}holdout.{name}"] = d.ToString("0.######", CultureInfo.InvariantCulture);
                }
            }
        }

        return labels;
    }

    /// <summary>One digest over the accepted data files (path and sha256 of each, sorted), or <c>unknown</c> before Validate-Data ran.</summary>
    public static string DataSha256(RunManifest manifest) =>
        manifest.DataFiles.Count == 0
            ? "unknown"
            : Sha256.OfText(string.Join('\n', manifest.DataFiles.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => $"{f.Sha256}  {f.Path}")));
}
