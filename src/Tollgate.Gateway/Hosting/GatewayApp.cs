using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Tollgate.Gateway.Mirroring;
using Tollgate.Gateway.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Tollgate.Gateway.Hosting;

/// <summary>
/// Builds the front door: Yarp's direct forwarder sends each request to the production upstream of the current
/// routes; when a shadow is set, a copy goes to the mirror queue after production has answered (see
/// <see cref="MirrorQueue"/>: production pays one enqueue). The state endpoint
/// <c>GET /_tollgate/gateway</c> tells the release stages which routes generation is in force.
/// </summary>
public static class GatewayApp
{
    public const string StatePath = "/_tollgate/gateway";

    /// <summary>The gateway's own counters in Prometheus text (<c>/metrics</c> itself is forwarded to the model server).</summary>
    public const string MetricsPath = "/_tollgate/metrics";

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
        var defaultMirrorLog = Path.Combine(Path.GetDirectoryName(table.FilePath)!, "mirror.jsonl");
        var requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(100) };

        app.MapGet(StatePath, () =>
        {
            var routes = table.Current;
            return Results.Json(new GatewayState(routes.Generation, routes.Production, routes.Shadow, mirror.Stats, table.FilePath, GatewayRuntime.Now()));
        });

        app.MapGet(MetricsPath, async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await context.Response.WriteAsync(mirror.Stats.ToPrometheus(), context.RequestAborted);
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
            if (shadow is null)
            {
                await forwarder.SendAsync(context, routes.Production.Url, client, requestConfig, HttpTransformer.Default);
                return;
            }

            // Mirroring costs production only this: the body is copied as the forwarder reads it (no extra pass, no
            // await before production is called), the response bytes are copied as they are written, and one
            // non-blocking enqueue. Decoding, sending and logging happen on the mirror's own low-priority threads.
            var request = context.Request;
            TeeReadStream? tee = null;
            if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true)
            {
                if (request.ContentLength > MirrorQueue.MaxBodyBytes)
                {
                    await forwarder.SendAsync(context, routes.Production.Url, client, requestConfig, HttpTransformer.Default);
                    mirror.CountSkipped();
                    return;
                }

                tee = new TeeReadStream(request.Body, request.ContentLength, MirrorQueue.MaxBodyBytes);
                request.Body = tee;
            }

            var response = context.Response;
            var capture = new CaptureStream(response.Body, 64 * 1024);
            response.Body = capture;
            var started = Stopwatch.GetTimestamp();
            ForwarderError error;
            mirror.ProductionStarted();
            try
            {
                error = await forwarder.SendAsync(context, routes.Production.Url, client, requestConfig, HttpTransformer.Default);
            }
            finally
            {
                mirror.ProductionFinished();
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            ReadOnlyMemory<byte> body = default;
            if (error != ForwarderError.None || (tee is not null && !tee.TryGetBody(out body)))
            {
                mirror.CountSkipped(); // production failed or the body was not read whole: nothing faithful to mirror
                return;
            }

            mirror.TryEnqueue(new MirrorItem(
                context.TraceIdentifier,
                DateTimeOffset.UtcNow,
                request.Method,
                request.QueryString.HasValue ? request.Path.Value + request.QueryString.Value : request.Path.Value ?? "/",
                request.ContentType,
                body,
                routes.Production,
                response.StatusCode,
                Math.Round(elapsed.TotalMilliseconds, 3),
                capture.Captured,
                shadow,
                routes.MirrorLog ?? defaultMirrorLog));
        });
        return app;
    }
}
