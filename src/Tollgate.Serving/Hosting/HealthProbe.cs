namespace Tollgate.Serving.Hosting;

/// <summary>
/// <c>Tollgate.Serving --healthcheck [URL]</c>: the container's HEALTHCHECK. The image carries no curl or wget, so the
/// server binary probes itself: GET <c>/health/ready</c> on the configured address, exit 0 when it answers 200.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(string? baseUrl, Func<string, string?> environment)
    {
        var urls = baseUrl ?? environment("TOLLGATE_SERVING_URLS") ?? ServingOptions.DefaultUrls;
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? ServingOptions.DefaultUrls;
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = await client.GetAsync(new Uri(new Uri(first.TrimEnd('/') + "/"), "health/ready"));
            Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            Console.WriteLine($"unhealthy: {ex.Message}");
            return 1;
        }
    }
}
