using Tollgate.Core.Releases;

namespace Tollgate.Release.Promotion;

/// <summary>
/// Versioned release folders, <c>&lt;store&gt;/&lt;model&gt;/releases/&lt;version&gt;/</c>: a copy of the candidate (model,
/// threshold, metadata) plus its data contract, so a rollback needs neither the run directory (CI deletes those)
/// nor a rebuild. Written to a temporary folder and renamed into place, so a crash never leaves half a release.
/// </summary>
public static class ReleaseFolders
{
    public static string PathOf(ReleaseStore store, string model, string version) => Path.Combine(store.ModelRoot(model), "releases", version);

    /// <summary>The release folder for <paramref name="candidateDir"/>, created when missing.</summary>
    public static string Materialize(ReleaseStore store, string model, string version, string candidateDir, string? contractPath)
    {
        var target = PathOf(store, model, version);
        if (Directory.Exists(target))
        {
            return target;
        }

        var tmp = target + $".{Environment.ProcessId}.tmp";
        if (Directory.Exists(tmp))
        {
            Directory.Delete(tmp, recursive: true);
        }

        Directory.CreateDirectory(tmp);
        foreach (var file in Directory.GetFiles(candidateDir))
        {
            File.Copy(file, Path.Combine(tmp, Path.GetFileName(file)));
        }

        var contract = Path.Combine(tmp, "contract.odcs.yaml");
        if (contractPath is not null && File.Exists(contractPath) && !File.Exists(contract))
        {
            File.Copy(contractPath, contract);
        }

        Directory.Move(tmp, target);
        return target;
    }

    /// <summary>Versions that have a release folder.</summary>
    public static IReadOnlyList<string> List(ReleaseStore store, string model)
    {
        var dir = Path.Combine(store.ModelRoot(model), "releases");
        return Directory.Exists(dir)
            ? Directory.GetDirectories(dir).Select(Path.GetFileName).Where(n => n is not null && !n.EndsWith(".tmp", StringComparison.Ordinal)).Select(n => n!).ToList()
            : [];
    }
}
