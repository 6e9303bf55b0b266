using Tollgate.Core.IO;
using Tollgate.Data.Profiles;

namespace Tollgate.Data.History;

/// <summary>
/// The profile history of a model: <c>artifacts/history/&lt;model&gt;/index.json</c> plus one
/// <c>profiles/&lt;dump&gt;.json</c> per accepted dump. Later dumps are compared with it; a dump enters it once (keyed by
/// file name), and only when accepted — a quarantined dump's profile never does.
/// </summary>
public sealed class ProfileHistory
{
    public const string IndexFileName = "index.json";

    private readonly SortedDictionary<string, HistoryEntry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DumpProfile> profiles = new(StringComparer.Ordinal);
    private readonly string model;

    private static readonly System.Text.Json.JsonSerializerOptions CompactJson = new(TollgateJson.Options) { WriteIndented = false };

    private ProfileHistory(string root, string model)
    {
        Root = root;
        this.model = model;
    }

    public string Root { get; }

    public IReadOnlyCollection<HistoryEntry> Entries => entries.Values;

    public static ProfileHistory Open(string root, string model)
    {
        var history = new ProfileHistory(root, model);
        var index = Path.Combine(root, IndexFileName);
        if (File.Exists(index))
        {
            foreach (var e in TollgateJson.ReadFile<HistoryIndex>(index).Entries)
            {
                history.entries[e.File] = e;
            }
        }

        return history;
    }

    public HistoryEntry? Find(string file) => entries.GetValueOrDefault(file);

    /// <summary>Adds or replaces the dump's entry and writes its profile file.</summary>
    public void Add(HistoryEntry entry, DumpProfile profile)
    {
        entries[entry.File] = entry;
        profiles[entry.File] = profile;
        // Compact JSON: hundreds of profiles are written per first run; nobody reads them by eye.
        AtomicFile.WriteAllText(ProfilePath(entry.File), System.Text.Json.JsonSerializer.Serialize(profile, CompactJson));
    }

    public void Remove(string file)
    {
        entries.Remove(file);
        profiles.Remove(file);
    }

    /// <summary>Profiles of the last <paramref name="count"/> accepted dumps whose names sort before <paramref name="before"/>.</summary>
    public IReadOnlyList<DumpProfile> Recent(string before, int count)
    {
        var names = entries.Keys.Where(k => string.CompareOrdinal(k, before) < 0).TakeLast(count);
        return names.Select(Profile).OfType<DumpProfile>().ToList();
    }

    /// <summary>Every accepted dump's profile, in order.</summary>
    public IEnumerable<DumpProfile> All() => entries.Keys.Select(Profile).OfType<DumpProfile>();

    public DumpProfile? Profile(string file)
    {
        if (profiles.TryGetValue(file, out var p))
        {
            return p;
        }

        var path = ProfilePath(file);
        if (!File.Exists(path))
        {
            return null;
        }

        p = TollgateJson.ReadFile<DumpProfile>(path);
        profiles[file] = p;
        return p;
    }

    /// <summary>Writes index.json (atomically) — after the profiles, so the index never names a profile not yet written.</summary>
    public void Save() =>
        TollgateJson.WriteFile(Path.Combine(Root, IndexFileName), new HistoryIndex { Model = model, Entries = entries.Values.ToList() });

    private string ProfilePath(string file) => Path.Combine(Root, "profiles", file + ".json");
}
