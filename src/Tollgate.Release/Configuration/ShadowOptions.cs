using Tollgate.Core.Specs;
using Tollgate.Release.Deployment;

namespace Tollgate.Release.Configuration;

/// <summary>
/// The <c>shadow:</c> section of model.yaml. Gates fail closed: a <c>shadow:</c> section without <c>gates:</c> is a
/// configuration error, never an automatic pass.
/// </summary>
/// <param name="Mode"><c>replay</c> (recorded serving-log requests; the CI default) or <c>mirror</c> (live traffic through the front door).</param>
/// <param name="ReplayPath">Serving-log folder or JSON Lines file to replay; null: the model's serving log in the release store, else the newest incoming dumps.</param>
/// <param name="Requests">Requests to send (replay) or wait for (mirror). <value>Default 500.</value></param>
/// <param name="RatePerSecond">Replay rate. <value>Default 200.</value></param>
/// <param name="MirrorTimeout">How long mirror mode waits for <paramref name="Requests"/> live requests. <value>Default 600 s.</value></param>
/// <param name="Gates">The gates.</param>
/// <param name="WarmUpRequests">Unmeasured requests to the fresh candidate before replay (production is warm; JIT and pools are not). <value>Default 300.</value></param>
/// <param name="Priority">CPU priority of the candidate while it takes mirrored live traffic as the shadow (from the start in mirror mode, after a passed replay otherwise): <c>low</c> (only CPU production leaves idle; raised when it is promoted) or <c>normal</c>. <value>Default low.</value></param>
public sealed record ShadowOptions(string Mode, string? ReplayPath, int Requests, double RatePerSecond, TimeSpan MirrorTimeout, ShadowGates Gates, int WarmUpRequests = 300, DeploymentPriority Priority = DeploymentPriority.Low)
{
    public static ShadowOptions Read(ModelSpec spec, SpecErrors errors)
    {
        var node = spec.ReadSection("shadow", errors);
        if (node is null)
        {
            errors.Add($"{spec.SpecPath}: 'shadow' section is missing; Shadow-Deploy fails closed without gates. Add shadow.gates (minRequests, maxErrorRate, maxP99Ms, maxP99Ratio, minAgreement).");
            return new ShadowOptions("replay", null, 0, 1, TimeSpan.Zero, new ShadowGates(0, 0, 0, null, null));
        }

        node.RejectUnknownKeys("mode", "replay", "requests", "ratePerSecond", "mirrorTimeoutSeconds", "warmUpRequests", "priority", "gates");
        var mode = node.String("mode", oneOf: ["replay", "mirror"]) ?? "replay";
        var requests = node.Integer("requests", min: 1, max: 10_000_000) ?? 500;
        var rate = node.Number("ratePerSecond", min: 0.1, max: 100_000) ?? 200;
        var timeout = node.Integer("mirrorTimeoutSeconds", min: 1, max: 86_400) ?? 600;
        var gates = node.Map("gates", required: true);
        ShadowGates g;
        if (gates is null)
        {
            g = new ShadowGates(0, 0, 0, null, null);
        }
        else
        {
            gates.RejectUnknownKeys("minRequests", "maxErrorRate", "maxP99Ms", "maxP99Ratio", "minAgreement");
            g = new ShadowGates(
                gates.Integer("minRequests", required: true, min: 1) ?? 0,
                gates.Number("maxErrorRate", required: true, min: 0, max: 1) ?? 0,
                gates.Number("maxP99Ms", required: true, min: 0.001) ?? 0,
                gates.Number("maxP99Ratio", min: 1),
                gates.Number("minAgreement", min: 0, max: 1));
            if (g.MinRequests > requests)
            {
                gates.Error("minRequests", $"{g.MinRequests} is more than shadow.requests ({requests}); the gate could never pass.");
            }
        }

        var priority = node.String("priority", oneOf: ["low", "normal"]) == "normal" ? DeploymentPriority.Normal : DeploymentPriority.Low;
        return new ShadowOptions(mode, node.String("replay"), requests, rate, TimeSpan.FromSeconds(timeout), g, node.Integer("warmUpRequests", min: 0, max: 1_000_000) ?? 300, priority);
    }
}
