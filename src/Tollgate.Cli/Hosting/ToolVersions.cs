using System.Reflection;
using System.Runtime.InteropServices;

namespace Tollgate.Cli.Hosting;

/// <summary>Versions recorded in run.json: Tollgate, .NET and the libraries that shape the model.</summary>
public static class ToolVersions
{
    public static IReadOnlyDictionary<string, string> Current()
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["tollgate"] = typeof(ToolVersions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown",
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
        };
        foreach (var (key, assembly) in new[] { ("ml.net", "Microsoft.ML.Core"), ("lightgbm", "Microsoft.ML.LightGbm") })
        {
            try
            {
                // ML.NET keeps its assembly version at 1.0.0.0; the informational version is the package's (5.0.1+commit).
                var loaded = Assembly.Load(assembly);
                var informational = loaded.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
                versions[key] = informational?.Split('+')[0] ?? loaded.GetName().Version?.ToString() ?? "unknown";
            }
            catch (FileNotFoundException)
            {
                // Not every verb ships every library; absent means not used.
            }
        }

        return versions;
    }
}
