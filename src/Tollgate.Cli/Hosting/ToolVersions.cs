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
            ["tollgate"] = typeof(ToolVersions).Assembly.GetName().Version?.ToString(3) ?? "unknown",
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
        };
        foreach (var (key, assembly) in new[] { ("ml.net", "Microsoft.ML.Core"), ("lightgbm", "Microsoft.ML.LightGbm") })
        {
            try
            {
                var name = Assembly.Load(assembly).GetName();
                versions[key] = name.Version?.ToString() ?? "unknown";
            }
            catch (FileNotFoundException)
            {
                // Not every verb ships every library; absent means not used.
            }
        }

        return versions;
    }
}
