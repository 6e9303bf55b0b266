using System.Net;
using System.Net.Sockets;
using Tollgate.Core.Errors;

namespace Tollgate.Release.Deployment;

/// <summary>Picks a port from the configured range that no deployment holds and nothing else listens on.</summary>
public static class PortAllocator
{
    public static int Next(int first, int last, IEnumerable<int> taken)
    {
        var used = taken.ToHashSet();
        for (var port = first; port <= last; port++)
        {
            if (!used.Contains(port) && IsFree(port))
            {
                return port;
            }
        }

        throw new InfrastructureException(
            $"no free port in deploy.ports {first}-{last} on 127.0.0.1: every port is held by a deployment or another program. " +
            "Widen the range in model.yaml or stop what holds them (tollgate lists deployments under the release store's deployments/).");
    }

    public static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
