using System.CommandLine;

namespace Tollgate.Cli.Hosting;

/// <summary>Options every stage verb takes, defined once so their names and help never drift apart.</summary>
public static class CommonOptions
{
    public static Option<string> Model() => new("--model", "-m")
    {
        Description = "Model name: reads models/<name>/model.yaml.",
        Required = true,
    };

    public static Option<string?> RunDir() => new("--run-dir")
    {
        Description = "Run directory (artifacts/runs/<run-id>). Default: the run named by artifacts/runs/latest; validate-data starts a new run.",
    };

    public static Option<string> RepoRoot() => new("--repo-root")
    {
        Description = "Repository root that model.yaml paths are relative to.",
        DefaultValueFactory = _ => Directory.GetCurrentDirectory(),
    };

    public static Option<string> Verbosity() => new("--verbosity", "-v")
    {
        Description = "quiet | normal | diagnostic (diagnostic prints stack traces of unexpected errors).",
        DefaultValueFactory = _ => "normal",
        Recursive = true,
    };
}
