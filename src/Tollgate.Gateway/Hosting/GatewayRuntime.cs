namespace Tollgate.Gateway.Hosting;

/// <summary>
/// The gateway process's garbage collector so far: collections per generation, total pause time and bytes allocated.
/// Every request goes through this process, so its pauses are every request's pauses; watch them when mirroring.
/// </summary>
public sealed record GatewayRuntime(int Gen0Collections, int Gen1Collections, int Gen2Collections, double GcPauseMs, long AllocatedBytes)
{
    public static GatewayRuntime Now() => new(
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        Math.Round(GC.GetTotalPauseDuration().TotalMilliseconds, 3),
        GC.GetTotalAllocatedBytes());
}
