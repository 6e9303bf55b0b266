using System.Net.Sockets;
using Xunit;

namespace Tollgate.Testing;

/// <summary>
/// Gates for tests that need real infrastructure. On a developer machine without it they skip with a visible reason;
/// with <c>TOLLGATE_REQUIRE_INFRA=1</c> (set by .ci/run, which starts dockerd and the registry) a missing service
/// fails the test instead, so CI never passes by skipping.
/// </summary>
public static class Infrastructure
{
    public static bool Required => Environment.GetEnvironmentVariable("TOLLGATE_REQUIRE_INFRA") == "1";

    /// <summary>The Docker engine socket, from DOCKER_HOST (unix://) or the default.</summary>
    public static string DockerSocket =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { } host && host.StartsWith("unix://", StringComparison.Ordinal)
            ? host["unix://".Length..]
            : "/var/run/docker.sock";

    /// <summary>The registry address tests push to. <value>Default 127.0.0.1:5000.</value></summary>
    public static string Registry => Environment.GetEnvironmentVariable("TOLLGATE_TEST_REGISTRY") ?? "127.0.0.1:5000";

    public static void RequireDocker()
    {
        if (!CanConnectUnix(DockerSocket))
        {
            Unavailable($"no Docker engine at unix://{DockerSocket} (start dockerd, or set DOCKER_HOST)");
        }
    }

    public static void RequireRegistry()
    {
        var parts = Registry.Split(':');
        if (!CanConnectTcp(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)))
        {
            Unavailable($"no registry at {Registry} (start docker-registry, or set TOLLGATE_TEST_REGISTRY)");
        }
    }

    private static void Unavailable(string reason)
    {
        if (Required)
        {
            Assert.Fail($"TOLLGATE_REQUIRE_INFRA=1 but {reason}.");
        }

        Assert.Skip(reason);
    }

    private static bool CanConnectUnix(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool CanConnectTcp(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
