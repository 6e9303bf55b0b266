using System.Formats.Tar;
using System.Text;

namespace Tollgate.Release.Docker;

/// <summary>
/// Writes a Docker build context (tar) from folders mapped to prefixes plus in-memory files, without copying the
/// folders first. Entries are sorted, with a fixed time and root ownership, so the same files always give the same
/// context and the engine's layer cache can match them.
/// </summary>
public static class BuildContext
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <param name="folders">Source folder → path prefix in the context (e.g. <c>server</c>).</param>
    /// <param name="files">Context path → text (e.g. <c>Dockerfile</c>).</param>
    /// <param name="output">Where the tar goes.</param>
    public static void WriteTar(IReadOnlyDictionary<string, string> folders, IReadOnlyDictionary<string, string> files, Stream output)
    {
        using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var (name, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var entry = Entry(TarEntryType.RegularFile, name, Readable);
            entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            tar.WriteEntry(entry);
        }

        foreach (var (source, prefix) in folders.OrderBy(f => f.Value, StringComparer.Ordinal))
        {
            var root = Path.GetFullPath(source);
            tar.WriteEntry(Entry(TarEntryType.Directory, prefix + "/", Executable));
            foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = prefix + "/" + Path.GetRelativePath(root, path).Replace('\\', '/');
                if (Directory.Exists(path))
                {
                    tar.WriteEntry(Entry(TarEntryType.Directory, name + "/", Executable));
                    continue;
                }

                var entry = Entry(TarEntryType.RegularFile, name, IsExecutable(path) ? Executable : Readable);
                using var data = File.OpenRead(path);
                entry.DataStream = data;
                tar.WriteEntry(entry);
            }
        }
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, UnixFileMode mode) => new(type, name)
    {
        ModificationTime = FixedTime,
        Uid = 0,
        Gid = 0,
        Mode = mode,
    };

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
}
