using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;

namespace Tollgate.Release.Promotion;

/// <summary>
/// The image Build-Image recorded for the run, if any: read from <c>build-image/report.json</c>'s details (or any JSON
/// file of that folder) as <c>image</c>/<c>reference</c> and <c>digest</c>. Absent on the local-process backend.
/// </summary>
/// <param name="Reference">Image reference, e.g. <c>127.0.0.1:5000/bank-marketing:VERSION</c>.</param>
/// <param name="Digest">Content digest, <c>sha256:…</c>.</param>
public sealed record BuildImageInfo(string? Reference, string? Digest)
{
    /// <summary>
    /// <c>registry/name@sha256:…</c>: pulls exactly this build on any engine (what the Docker backend runs and the
    /// release history records); null when the run built no image.
    /// </summary>
    public string? ReferenceByDigest =>
        Digest is null ? null
        : Reference is null ? Digest
        : $"{Docker.DockerEngine.SplitTag(Reference.Split('@')[0]).Name}@{Digest}";

    public static BuildImageInfo? TryRead(RunDirectory run)
    {
        var dir = Path.Combine(run.Root, StageName.BuildImage);
        if (!Directory.Exists(dir))
        {
            return null;
        }

        foreach (var file in Directory.GetFiles(dir, "*.json").OrderBy(f => Path.GetFileName(f) == RunDirectory.ReportFileName ? 0 : 1))
        {
            try
            {
                var root = JsonNode.Parse(File.ReadAllText(file)) as JsonObject;
                var o = root?["details"] as JsonObject ?? root;
                var digest = Find(o, "digest", "imageDigest");
                if (digest is not null)
                {
                    return new BuildImageInfo(Find(o, "reference", "image", "imageReference", "tag"), digest);
                }
            }
            catch (JsonException)
            {
                // Not ours to judge; Build-Image validates its own files.
            }
        }

        return null;
    }

    private static string? Find(JsonObject? o, params string[] keys) =>
        o is null ? null : keys.Select(k => o[k] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).FirstOrDefault(s => s is not null);
}
