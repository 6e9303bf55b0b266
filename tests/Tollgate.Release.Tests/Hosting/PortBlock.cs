namespace Tollgate.Release.Tests.Hosting;

/// <summary>
/// Blocks of 20 ports for one test's front door and deployments, below Linux's ephemeral range (32768+) so an outgoing
/// connection's local port never takes one between the free-port check and the server's bind.
/// </summary>
public static class PortBlock
{
    private static int next = 20000 + (Random.Shared.Next(0, 300) * 20);

    public static int Next()
    {
        var block = Interlocked.Add(ref next, 20);
        return 20000 + ((block - 20000) % 12000);
    }
}
