using System.Text.Json.Nodes;

namespace Tollgate.Benchmarks;

/// <summary>Versioned release folders made from one candidate, as Build-Image would package them, for the release benchmarks.</summary>
internal static class ReleaseFolders
{
    /// <summary>
    /// Copies the candidate's files to <c>&lt;root&gt;/releases/&lt;version&gt;</c> with <paramref name="version"/> in
    /// candidate.json, and the contract the server validates requests with; returns the folder.
    /// </summary>
    public static string Create(string root, string candidate, string contractPath, string version)
    {
        var dir = Path.Combine(root, "releases", version);
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(candidate))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)), overwrite: true);
        }

        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "candidate.json")))!.AsObject();
        meta["version"] = version;
        File.WriteAllText(Path.Combine(dir, "candidate.json"), meta.ToJsonString());
        File.Copy(contractPath, Path.Combine(dir, "contract.odcs.yaml"), overwrite: true);
        return dir;
    }
}
