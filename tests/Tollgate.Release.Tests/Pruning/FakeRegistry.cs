using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Tollgate.Release.Tests.Hosting;

namespace Tollgate.Release.Tests.Pruning;

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking the registry v2 calls pruning uses (tags/list, HEAD manifest → digest,
/// DELETE manifest by digest), with one repository whose tags each point at their own digest.
/// </summary>
public sealed class FakeRegistry : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, string> tags = new(StringComparer.Ordinal);
    private readonly Task loop;

    public FakeRegistry(string repository, IEnumerable<string> initialTags)
    {
        Repository = repository;
        foreach (var t in initialTags)
        {
            tags[t] = DigestOf(t);
        }

        Port = PortBlock.Next();
        Address = $"127.0.0.1:{Port}";
        listener.Prefixes.Add($"http://{Address}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Repository { get; }

    public int Port { get; }

    public string Address { get; }

    public ConcurrentBag<string> DeletedDigests { get; } = [];

    public IReadOnlyCollection<string> Tags => tags.Keys.ToList();

    public static string DigestOf(string tag) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(tag)));

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
            // The listener was stopped under a pending GetContext.
        }
    }

    private async Task ServeAsync()
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

            var path = context.Request.Url!.AbsolutePath;
            var response = context.Response;
            var manifests = $"/v2/{Repository}/manifests/";
            if (context.Request.HttpMethod == "GET" && path == $"/v2/{Repository}/tags/list")
            {
                var body = Encoding.UTF8.GetBytes($"{{\"name\":\"{Repository}\",\"tags\":[{string.Join(',', tags.Keys.Select(t => $"\"{t}\""))}]}}");
                response.ContentType = "application/json";
                await response.OutputStream.WriteAsync(body);
            }
            else if (context.Request.HttpMethod == "HEAD" && path.StartsWith(manifests, StringComparison.Ordinal) && tags.TryGetValue(path[manifests.Length..], out var digest))
            {
                response.Headers["Docker-Content-Digest"] = digest;
            }
            else if (context.Request.HttpMethod == "DELETE" && path.StartsWith(manifests, StringComparison.Ordinal))
            {
                var target = path[manifests.Length..];
                var removed = tags.Where(kv => kv.Value == target).Select(kv => kv.Key).ToList();
                foreach (var t in removed)
                {
                    tags.TryRemove(t, out _);
                }

                DeletedDigests.Add(target);
                response.StatusCode = removed.Count > 0 ? 202 : 404;
            }
            else
            {
                response.StatusCode = 404;
            }

            response.Close();
        }
    }
}
