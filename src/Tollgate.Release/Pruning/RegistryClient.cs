using System.Net;
using System.Text.Json.Nodes;
using Tollgate.Core.Errors;

namespace Tollgate.Release.Pruning;

/// <summary>
/// The few Docker Registry HTTP API v2 calls pruning needs: list tags, resolve a tag to its manifest digest, delete a
/// manifest by digest (the registry deletes by digest only; it needs <c>storage.delete.enabled: true</c>).
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private const string ManifestTypes =
        "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, " +
        "application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json";

    private readonly HttpClient client;
    private readonly string registry;

    /// <param name="registry">host:port, e.g. <c>127.0.0.1:5000</c>.</param>
    /// <param name="handler">HTTP handler (tests).</param>
    public RegistryClient(string registry, HttpMessageHandler? handler = null)
    {
        this.registry = registry;
        client = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://{registry}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public void Dispose() => client.Dispose();

    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken ct)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/tags/list"), ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        await EnsureAsync(response, "list tags of " + repository);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
        return json?["tags"] is JsonArray tags ? tags.Select(t => (string)t!).ToList() : [];
    }

    public async Task<string?> DigestAsync(string repository, string tag, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{tag}");
        request.Headers.TryAddWithoutValidation("Accept", ManifestTypes);
        using var response = await SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureAsync(response, $"resolve {repository}:{tag}");
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
    }

    public async Task DeleteAsync(string repository, string digest, CancellationToken ct)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"v2/{repository}/manifests/{digest}"), ct);
        if (response.StatusCode is HttpStatusCode.NotFound)
        {
            return; // already gone: pruning is idempotent
        }

        if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
        {
            throw new InfrastructureException(
                $"registry {registry} refuses deletes (405): enable them with 'storage: delete: enabled: true' in its config.yml.");
        }

        await EnsureAsync(response, $"delete {repository}@{digest}");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            using (request)
            {
                return await client.SendAsync(request, ct);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new InfrastructureException($"registry {registry} is unreachable ({ex.Message}); start it or point the image reference at a running one.", ex);
        }
    }

    private async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = response.Content is null ? string.Empty : await response.Content.ReadAsStringAsync();
            throw new InfrastructureException($"registry {registry}: {what} answered {(int)response.StatusCode} {body.Trim()}");
        }
    }
}
