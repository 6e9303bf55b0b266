using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tollgate.Tracking.Tests.Fixtures;

/// <summary>
/// A real HTTP server on 127.0.0.1 (HttpListener on a free port) that records every request and answers through a
/// handler: a transcript's exact body and status, or <see cref="FakeMlflow"/>'s in-memory state.
/// </summary>
public sealed class MlflowTestServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<RecordedRequest, (int Status, string Body)> handler;
    private readonly List<RecordedRequest> requests = [];
    private readonly Task loop;
    private int failuresLeft;

    public MlflowTestServer(Func<RecordedRequest, (int Status, string Body)> handler)
    {
        this.handler = handler;
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Uri => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return requests.ToList();
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests get 503 (recorded, not handled).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref failuresLeft, count);

    /// <summary>A port nothing listens on (for "server down").</summary>
    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // listener stopped
        }
    }

    private async Task LoopAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var request = new RecordedRequest(
                context.Request.HttpMethod,
                context.Request.Url!.PathAndQuery,
                context.Request.ContentType,
                context.Request.Headers["Authorization"],
                body.ToArray());
            lock (requests)
            {
                requests.Add(request);
            }

            (int Status, string Body) answer;
            if (Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                answer = (503, "<html><body>503 Service Unavailable</body></html>");
            }
            else
            {
                Interlocked.Exchange(ref failuresLeft, 0);
                try
                {
                    answer = handler(request);
                }
#pragma warning disable CA1031 // a handler bug must surface as a 500 the test sees, not a hung request
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    answer = (500, "{\"error_code\": \"INTERNAL_ERROR\", \"message\": \"test handler: " + ex.Message.Replace("\"", "'", StringComparison.Ordinal) + "\"}");
                }
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.Body.StartsWith('<') ? "text/html" : "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
