using Tollgate.Core.Specs;

namespace Tollgate.Release.Configuration;

/// <summary>The <c>release:</c> section of model.yaml: promote, rollback and prune settings.</summary>
/// <param name="KeepImages">Released images (and release folders) Prune-Images keeps. <value>Default 7.</value></param>
/// <param name="Drain">How long the old version keeps running after the front door switched, so requests in flight finish. <value>Default 2 s.</value></param>
/// <param name="SmokeRows">Rows a new deployment must answer before it gets traffic. <value>Default 5.</value></param>
/// <param name="WarmStandby">Keep the rollback target running after a promote, so a rollback is a front-door switch
/// instead of a cold start (costs one more server's memory). <value>Default true.</value></param>
public sealed record ReleaseOptions(int KeepImages, TimeSpan Drain, int SmokeRows, bool WarmStandby = true)
{
    public static ReleaseOptions Defaults { get; } = new(7, TimeSpan.FromSeconds(2), 5);

    public static ReleaseOptions Read(ModelSpec spec, SpecErrors errors)
    {
        var node = spec.ReadSection("release", errors);
        if (node is null)
        {
            return Defaults;
        }

        node.RejectUnknownKeys("keepImages", "drainSeconds", "smokeRows", "warmStandby");
        return new ReleaseOptions(
            node.Integer("keepImages", min: 1, max: 1000) ?? Defaults.KeepImages,
            TimeSpan.FromSeconds(node.Number("drainSeconds", min: 0, max: 600) ?? Defaults.Drain.TotalSeconds),
            node.Integer("smokeRows", min: 1, max: 1000) ?? Defaults.SmokeRows,
            node.Boolean("warmStandby") ?? Defaults.WarmStandby);
    }
}
