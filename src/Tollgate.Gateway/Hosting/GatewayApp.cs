using System.Diagnostics;
using System.Net;
using Tollgate.Gateway.Mirroring;
using Tollgate.Gateway.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Tollgate.Gateway.Hosting;

/// <summary>
/// Builds the front door: Yarp's direct forwarder sends each request to the production upstream of the current
/// routes; when a shadow is set, a copy goes to the mirror queue after production has answered. The state endpoint
/// <c>GET /_tollgate/gateway</c> tells the release stages which routes generation is in force.
/// </summary>
public static class GatewayApp
{
    public const string StatePath = "/_tollgate/gateway";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Tollgate", LogLevel.Information);
        var routesPath = builder.Configuration["routes"]
            ?? throw new ArgumentException("missing --routes <path of routes.json>; the release stages write it under the release store.");
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton(sp => new RouteTable(routesPath, sp.GetRequiredService<ILogger<RouteTable>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RouteTable>());
        builder.Services.AddSingleton(sp =>
        {
            var routes = sp.GetRequiredService<RouteTable>().Current;
            return new MirrorQueue(routes.MirrorQueueCapacity, routes.MirrorConcurrency, sp.GetRequiredService<ILogger<MirrorQueue>>());
        });
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MirrorQueue>());

        var app = builder.Build();
        var table = app.Services.GetRequiredService<RouteTable>();
        var mirror = app.Services.GetRequiredService<MirrorQueue>();
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ActivityHeadersPropagator = null,
        });
        var requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(100) };

        app.MapGet(StatePath, () =>
        {
            var routes = table.Current;
            return Results.Json(new GatewayState(routes.Generation, routes.Production, routes.Shadow, mirror.Stats, table.FilePath));
        });

        app.Map("/{**catch-all}", async context =>
        {
            // Read once: the whole request goes to one routes generation, however the file changes meanwhile.
            var routes = table.Current;
            if (routes.Production is null)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsJsonAsync(new { error = "no model version is in production yet; run 'tollgate promote' first." });
                return;
            }

            var shadow = routes.Shadow;
            mirror.LogPath = routes.MirrorLog ?? Path.Combine(Path.GetDirectoryName(table.FilePath)!, "mirror.jsonl");
            byte[]? body = null;
            CaptureStream? capture = null;
            if (shadow is not null && (context.Request.ContentLength ?? 0) <= MirrorQueue.MaxBodyBytes)
            {
                body = await ReadBodyAsync(context.Request, context.RequestAborted);
                capture = new CaptureStream(context.Response.Body, 64 * 1024);
                context.Response.Body = capture;
            }

            var started = Stopwatch.GetTimestamp();
            await forwarder.SendAsync(context, routes.Production.Url, client, requestConfig, HttpTransformer.Default);
            if (body is not null && shadow is not null)
            {
                mirror.TryEnqueue(new MirrorItem(
                    context.TraceIdentifier,
                    DateTimeOffset.UtcNow,
                    context.Request.Method,
                    context.Request.Path + context.Request.QueryString,
                    context.Request.ContentType,
                    body,
                    routes.Production,
                    context.Response.StatusCode,
                    Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3),
                    capture?.Captured,
                    shadow));
            }
        });
        return app;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        // Buffer the body so it can be sent twice; the forwarder then reads the rewound buffer.
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MirrorQueue.MaxBodyBytes);
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, ct);
        request.Body.Position = 0;
        return copy.ToArray();
    }
}
