namespace Tollgate.Testing;

/// <summary>Paths into the repository under test.</summary>
public static class TestRepo
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tollgate.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Tollgate.slnx not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root (the folder holding Tollgate.slnx).</summary>
    public static string Root => RootPath.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The shared folder beside the checkout (schemas, MLflow transcripts).</summary>
    public static string Shared(params string[] parts)
    {
        var env = Environment.GetEnvironmentVariable("TOLLGATE_SHARED_DIR");
        var root = env is { Length: > 0 } ? env : Path.Combine(Root, "..", "shared");
        return Path.GetFullPath(Path.Combine([root, .. parts]));
    }
}
