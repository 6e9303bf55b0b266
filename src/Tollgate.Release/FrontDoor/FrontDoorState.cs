using Tollgate.Core.Releases;

namespace Tollgate.Release.FrontDoor;

/// <summary>What the running gateway says it serves (<c>GET /_tollgate/gateway</c>).</summary>
public sealed record FrontDoorState(long Generation, GatewayUpstream? Production, GatewayUpstream? Shadow, string RoutesFile);
