using Tollgate.Core.Errors;

namespace Tollgate.Release.Deployment;

/// <summary>
/// Finds the .NET programs the release stages start (the model server, the front door): an explicit
/// <c>TOLLGATE_&lt;NAME&gt;_DLL</c> variable, then beside this assembly (a published layout), then the sibling project
/// folder of the build output (<c>.build/&lt;slot&gt;/bin/&lt;Project&gt;/&lt;configuration&gt;/</c>).
/// </summary>
public static class ProgramLocator
{
    /// <summary>Returns the command (<c>dotnet</c>) and its first argument (the dll) for <paramref name="assemblyName"/>.</summary>
    public static (string FileName, string[] Arguments) Find(string assemblyName, string environmentVariable)
    {
        var dll = Locate(assemblyName, environmentVariable)
            ?? throw new ConfigurationException(
                $"{assemblyName}.dll not found (looked at ${environmentVariable}, beside {AppContext.BaseDirectory} and in the build output). " +
                $"Build it with 'dotnet build src/{assemblyName}' or set {environmentVariable} to its path.");
        return ("dotnet", [dll]);
    }

    public static string? Locate(string assemblyName, string environmentVariable)
    {
        if (Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } explicitPath)
        {
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null;
        }

        var here = AppContext.BaseDirectory;
        var beside = Path.Combine(here, assemblyName + ".dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(here, assemblyName + ".runtimeconfig.json")))
        {
            return beside;
        }

        // .build/<slot>/bin/<ThisProject>/<configuration>/ → .build/<slot>/bin/<assemblyName>/<configuration>/
        var config = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar));
        var bin = config.Parent?.Parent;
        if (bin is null)
        {
            return null;
        }

        foreach (var configuration in new[] { config.Name, "release", "debug" }.Distinct(StringComparer.Ordinal))
        {
            var candidate = Path.Combine(bin.FullName, assemblyName, configuration, assemblyName + ".dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
