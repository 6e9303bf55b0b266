using Tollgate.Core.IO;

namespace Tollgate.Core.Releases;

/// <summary>
/// The front door's routing state (<c>&lt;store&gt;/&lt;model&gt;/routes.json</c>), written atomically by the release stages
/// and watched by the gateway. One file, replaced by rename, is the switch: the gateway sees the old routes or the new,
/// never a mix. <see cref="Generation"/> increases with every write so a writer can wait until the gateway has applied it.
/// </summary>
/// <param name="Generation">Monotonic write counter.</param>
/// <param name="Production">Where client traffic goes; null before the first release (the gateway answers 503).</param>
/// <param name="Shadow">Where traffic is mirrored to, fire-and-forget; null for no mirroring.</param>
/// <param name="MirrorLog">JSON Lines file the gateway appends shadow exchanges to. <value>Default <c>mirror.jsonl</c> beside the routes file.</value></param>
/// <param name="MirrorQueueCapacity">Bound of the mirror queue; a full queue drops mirror copies, never production requests. <value>Default 1000.</value></param>
/// <param name="MirrorConcurrency">Concurrent requests to the shadow. <value>Default 4.</value></param>
public sealed record GatewayRoutes(
    long Generation,
    GatewayUpstream? Production,
    GatewayUpstream? Shadow = null,
    string? MirrorLog = null,
    int MirrorQueueCapacity = 1000,
    int MirrorConcurrency = 4)
{
    public const string FileName = "routes.json";

    public static GatewayRoutes? TryRead(string path) => File.Exists(path) ? TollgateJson.ReadFile<GatewayRoutes>(path) : null;

    /// <summary>Writes <paramref name="routes"/> atomically with the next generation; returns what was written.</summary>
    public static GatewayRoutes Write(string path, GatewayRoutes routes)
    {
        var next = routes with { Generation = (TryRead(path)?.Generation ?? 0) + 1 };
        TollgateJson.WriteFile(path, next);
        return next;
    }
}
