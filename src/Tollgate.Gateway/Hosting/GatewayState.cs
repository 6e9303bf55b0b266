using Tollgate.Core.Releases;
using Tollgate.Gateway.Mirroring;

namespace Tollgate.Gateway.Hosting;

/// <summary>What <c>GET /_tollgate/gateway</c> answers: the routes in force, the mirror's counters and the process's GC figures.</summary>
public sealed record GatewayState(long Generation, GatewayUpstream? Production, GatewayUpstream? Shadow, MirrorStats Mirror, string RoutesFile, GatewayRuntime Runtime);
