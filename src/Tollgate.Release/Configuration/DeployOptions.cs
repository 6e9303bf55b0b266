using Tollgate.Core.Specs;

namespace Tollgate.Release.Configuration;

/// <summary>
/// The <c>deploy:</c> section of model.yaml as the release stages read it (Build-Image reads the same section for the
/// backend and image settings; keys one side does not know are left to the other, so this reader does not reject them).
/// </summary>
/// <param name="Backend"><c>auto</c> (Docker when an engine answers, else local processes), <c>docker</c> or <c>local</c>. <value>Default auto.</value></param>
/// <param name="FrontDoorPort">The stable port clients call, on 127.0.0.1. <value>Default 18080.</value></param>
/// <param name="FirstPort">First port of the range deployments (production, shadow, the next version) bind to. <value>Default 18081.</value></param>
/// <param name="LastPort">Last port of that range. <value>Default 18099.</value></param>
/// <param name="ReadyTimeout">How long a new deployment may take to answer <c>/health/ready</c>. <value>Default 60 s.</value></param>
public sealed record DeployOptions(string Backend, int FrontDoorPort, int FirstPort, int LastPort, TimeSpan ReadyTimeout)
{
    public static readonly string[] Backends = ["auto", "docker", "local"];

    public static DeployOptions Defaults { get; } = new("auto", 18080, 18081, 18099, TimeSpan.FromSeconds(60));

    /// <summary>Reads the section, adding every problem to <paramref name="errors"/>.</summary>
    public static DeployOptions Read(ModelSpec spec, SpecErrors errors)
    {
        var node = spec.ReadSection("deploy", errors);
        if (node is null)
        {
            return Defaults;
        }

        var backend = node.String("backend", oneOf: Backends) ?? Defaults.Backend;
        var front = node.Integer("frontDoorPort", min: 1024, max: 65535) ?? Defaults.FrontDoorPort;
        var (first, last) = (Defaults.FirstPort, Defaults.LastPort);
        if (node.String("ports") is { } range)
        {
            var parts = range.Split('-', StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], out var a) && int.TryParse(parts[1], out var b) && a >= 1024 && b <= 65535 && b - a >= 2)
            {
                (first, last) = (a, b);
            }
            else
            {
                node.Error("ports", $"'{range}' is not a port range like 18081-18099 (at least 3 ports, 1024-65535): production, the next version and a shadow each need one.");
            }
        }

        if (front >= first && front <= last)
        {
            node.Error("frontDoorPort", $"{front} lies inside ports {first}-{last}; the front door needs a port of its own.");
        }

        var ready = node.Integer("readyTimeoutSeconds", min: 1, max: 3600) ?? (int)Defaults.ReadyTimeout.TotalSeconds;
        return new DeployOptions(backend, front, first, last, TimeSpan.FromSeconds(ready));
    }
}
