using System.Net;
using System.Net.Sockets;
using System.Text;
using Shouldly;
using Tollgate.Core.Releases;
using Tollgate.Gateway.Mirroring;

namespace Tollgate.Gateway.Tests.Mirroring;

/// <summary>
/// The mirror's own HTTP/1.1 client against a raw socket server on 127.0.0.1 that answers with exact bytes: every way an
/// answer can be framed, and a keep-alive connection the shadow drops while idle.
/// </summary>
public sealed class ShadowConnectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"score\":1}")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"sc\r\n7\r\nore\":1}\r\n0\r\nX-Trailer: t\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"score\":1}")]
    public async Task Send_AnswerFramedAnyWay_ReturnsStatusAndWholeBody(string answer)
    {
        await using var server = RawServer.Start(answer);
        using var connection = new ShadowConnection(new Uri(server.Url), Patience, 64 * 1024);

        var (status, body) = connection.Send(Item(server.Url, "{\"age\":53}"));

        status.ShouldBe(200);
        Encoding.UTF8.GetString(body).ShouldBe("{\"score\":1}");
        var request = server.Requests.ShouldHaveSingleItem();
        request.ShouldStartWith("POST /v1/predict HTTP/1.1\r\n");
        request.ShouldContain("Content-Type: application/json\r\n");
        request.ShouldContain("Content-Length: 10\r\n");
        request.ShouldContain("X-Tollgate-Mirror: req-1\r\n");
        request.ShouldEndWith("\r\n\r\n{\"age\":53}");
    }

    [Fact]
    public async Task Send_KeepAliveDroppedWhileIdle_ReconnectsAndSendsOnceMore()
    {
        // The server answers one request per connection and then closes it without saying so (an idle timeout).
        await using var server = RawServer.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", closeAfterEach: true);
        using var connection = new ShadowConnection(new Uri(server.Url), Patience, 64 * 1024);

        connection.Send(Item(server.Url, "{}")).Status.ShouldBe(200);
        await Task.Delay(200, TestContext.Current.CancellationToken); // the close reaches us
        connection.Send(Item(server.Url, "{}")).Status.ShouldBe(200);

        server.Requests.Count.ShouldBe(2);
        server.Connections.ShouldBe(2);
    }

    [Fact]
    public async Task Send_KeepAlive_ReusesOneConnection()
    {
        await using var server = RawServer.Start("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy");
        using var connection = new ShadowConnection(new Uri(server.Url), Patience, 64 * 1024);

        for (var i = 0; i < 3; i++)
        {
            var (status, body) = connection.Send(Item(server.Url, "{}"));
            status.ShouldBe(503, "a shadow's error status is an answer, logged as such");
            Encoding.UTF8.GetString(body).ShouldBe("busy");
        }

        server.Connections.ShouldBe(1);
    }

    [Fact]
    public void Send_NothingListening_ThrowsIOExceptionNamingNoSecret()
    {
        var port = RawServer.FreePort();
        using var connection = new ShadowConnection(new Uri($"http://127.0.0.1:{port}"), Patience, 64 * 1024);

        Should.Throw<IOException>(() => connection.Send(Item($"http://127.0.0.1:{port}", "{}")));
    }

    [Fact]
    public async Task Send_ShadowSilent_TimesOut()
    {
        await using var server = RawServer.Start(answer: null);
        using var connection = new ShadowConnection(new Uri(server.Url), TimeSpan.FromMilliseconds(300), 64 * 1024);

        Should.Throw<IOException>(() => connection.Send(Item(server.Url, "{}")));
    }

    private static MirrorItem Item(string shadowUrl, string body) => new(
        "req-1", DateTimeOffset.UnixEpoch, "POST", "/v1/predict", "application/json", Encoding.UTF8.GetBytes(body),
        new GatewayUpstream("v1", "http://127.0.0.1:1", "p"), 200, 1.0, Encoding.UTF8.GetBytes("{}"),
        new GatewayUpstream("v2", shadowUrl, "s"), "mirror.jsonl");

    /// <summary>A TCP server that reads whole HTTP requests and answers each with fixed bytes (or never).</summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly TcpListener listener;
        private readonly byte[]? answer;
        private readonly bool closeAfterEach;
        private readonly CancellationTokenSource stop = new();
        private readonly Task accepting;
        private int connections;

        private RawServer(string? answer, bool closeAfterEach)
        {
            this.answer = answer is null ? null : Encoding.UTF8.GetBytes(answer);
            this.closeAfterEach = closeAfterEach;
            listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
            accepting = Task.Run(AcceptAsync);
        }

        public string Url { get; }

        public List<string> Requests { get; } = [];

        public int Connections => Volatile.Read(ref connections);

        public static RawServer Start(string? answer, bool closeAfterEach = false) => new(answer, closeAfterEach);

        public static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            try
            {
                await accepting;
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // stopped
            }

            stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var pending = new List<byte>();
                var buffer = new byte[4096];
                try
                {
                    while (true)
                    {
                        var read = await stream.ReadAsync(buffer, stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        pending.AddRange(buffer.AsSpan(0, read).ToArray());
                        var text = Encoding.UTF8.GetString([.. pending]);
                        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                        if (end < 0)
                        {
                            continue;
                        }

                        var lengthLine = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                        var bodyLength = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        if (text.Length < end + 4 + bodyLength)
                        {
                            continue;
                        }

                        lock (Requests)
                        {
                            Requests.Add(text[..(end + 4 + bodyLength)]);
                        }

                        pending.RemoveRange(0, Encoding.UTF8.GetByteCount(text[..(end + 4 + bodyLength)]));
                        if (answer is null)
                        {
                            await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token); // silent
                        }

                        await stream.WriteAsync(answer, stop.Token);
                        if (closeAfterEach || Encoding.UTF8.GetString(answer!).Contains("Connection: close", StringComparison.Ordinal))
                        {
                            return;
                        }
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
                {
                    // the test is over, or the client went away
                }
            }
        }
    }
}
