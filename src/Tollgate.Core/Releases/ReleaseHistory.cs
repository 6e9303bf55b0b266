using System.Text;
using System.Text.Json;
using Tollgate.Core.IO;

namespace Tollgate.Core.Releases;

/// <summary>
/// <c>&lt;store&gt;/&lt;model&gt;/history.jsonl</c>: every promote and rollback, one JSON object per line, only ever
/// appended. A line torn by a crash mid-write is skipped on read (and reported through <see cref="TornLines"/>), so the
/// history stays readable; the next append starts on a fresh line.
/// </summary>
public sealed class ReleaseHistory
{
    public const string FileName = "history.jsonl";

    private static readonly JsonSerializerOptions LineOptions = new(TollgateJson.Options) { WriteIndented = false };

    public ReleaseHistory(string modelRoot)
    {
        Path = System.IO.Path.Combine(modelRoot, FileName);
    }

    public string Path { get; }

    /// <summary>Lines that could not be parsed at the last <see cref="ReadAll"/> (a crash mid-append).</summary>
    public int TornLines { get; private set; }

    /// <summary>All events, oldest first.</summary>
    public IReadOnlyList<ReleaseEvent> ReadAll()
    {
        TornLines = 0;
        if (!File.Exists(Path))
        {
            return [];
        }

        var events = new List<ReleaseEvent>();
        foreach (var line in File.ReadLines(Path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize<ReleaseEvent>(line, LineOptions) is { } e)
                {
                    events.Add(e);
                }
            }
            catch (JsonException)
            {
                TornLines++;
            }
        }

        return events;
    }

    /// <summary>Appends <paramref name="entry"/> unless an event with its id is already there. Returns true when written.</summary>
    public bool Append(ReleaseEvent entry)
    {
        if (ReadAll().Any(e => e.Id == entry.Id))
        {
            return false;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);

        // A torn previous line has no newline: start on a fresh one so this event is not glued to garbage.
        var prefix = stream.Length > 0 && !EndsWithNewline() ? "\n" : string.Empty;
        var bytes = Encoding.UTF8.GetBytes(prefix + JsonSerializer.Serialize(entry, LineOptions) + "\n");
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
        return true;
    }

    /// <summary>
    /// Versions that have been production, newest first, each once (the newest time it went live). The rollback
    /// candidates and the retention policy's notion of "released".
    /// </summary>
    public IReadOnlyList<ReleasedModel> ReleasedNewestFirst()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<ReleasedModel>();
        foreach (var e in ReadAll().AsEnumerable().Reverse())
        {
            if (seen.Add(e.Release.Version))
            {
                list.Add(e.Release);
            }
        }

        return list;
    }

    private bool EndsWithNewline()
    {
        using var read = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (read.Length == 0)
        {
            return true;
        }

        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte() == '\n';
    }
}
