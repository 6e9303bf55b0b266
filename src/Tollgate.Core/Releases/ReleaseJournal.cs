using Tollgate.Core.IO;

namespace Tollgate.Core.Releases;

/// <summary>Reads and writes <c>pending.json</c>: atomic writes, so a SIGKILL leaves the previous step or the next.</summary>
public sealed class ReleaseJournal
{
    public const string FileName = "pending.json";

    public ReleaseJournal(string modelRoot)
    {
        Path = System.IO.Path.Combine(modelRoot, FileName);
    }

    public string Path { get; }

    public PendingRelease? TryRead() => File.Exists(Path) ? TollgateJson.ReadFile<PendingRelease>(Path) : null;

    public void Write(PendingRelease pending) => TollgateJson.WriteFile(Path, pending);

    public void Clear() => File.Delete(Path);
}
