using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tollgate.Serving.Contracts;
using Tollgate.Serving.Endpoints;
using Tollgate.Serving.Logging;
using Tollgate.Serving.Metrics;
using Tollgate.Serving.Pages;
using Tollgate.Serving.Requests;
using Tollgate.Serving.Scoring;

namespace Tollgate.Serving.Hosting;

/// <summary>
/// Builds the model server: Kestrel on loopback, the endpoints, metrics around every request, and a last-resort
/// handler so that no request can take the process down. The caller starts it and then calls <see cref="WarmUp"/>.
/// </summary>
public static class ServingApp
{
    public static WebApplication Build(ServingOptions options, IScoringModel model, ServingContract contract, TimeProvider time)
    {
        var validator = new RowValidator(model.Schema, contract, options.MaxBatchRows); // throws ConfigurationException on a model/contract mismatch
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Kestrel enforces the limit on chunked bodies too; PredictEndpoint checks it earlier for a clearer message.
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        // The hosting layer writes only request-start/finish lines (Information), but whenever its logger is on at any
        // level it also starts an Activity and a logging scope for every request — about a tenth of a predict's CPU.
        // Off for that one category; Kestrel's warnings and our own errors still reach the console.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        var metrics = new ServingMetrics(model.Info);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(model);
        builder.Services.AddSingleton(contract);
        builder.Services.AddSingleton(validator);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton(sp => new ServingLog(options.Log, model.Info, metrics, time));
        builder.Services.AddSingleton<PredictEndpoint>();

        var app = builder.Build();
        app.Use(SafetyNet(metrics, app.Logger));

        var predict = app.Services.GetRequiredService<PredictEndpoint>();
        var readiness = app.Services.GetRequiredService<Readiness>();
        app.MapPost("/v1/predict", predict.PredictAsync);
        app.MapPost("/v1/explain", predict.ExplainAsync);
        app.MapGet("/v1/metadata", ctx => MetadataEndpoint.WriteAsync(ctx, model, contract, options));
        app.MapGet("/health/live", ctx => JsonResponses.WriteAsync(ctx, 200, j =>
        {
            j.WriteStartObject();
            j.WriteString("status", "live");
            j.WriteEndObject();
        }));
        app.MapGet("/health/ready", ctx => JsonResponses.WriteAsync(ctx, readiness.IsReady ? 200 : 503, j =>
        {
            j.WriteStartObject();
            j.WriteString("status", readiness.Status);
            j.WriteString("model", model.Info.Name);
            j.WriteString("version", model.Info.Version);
            j.WriteEndObject();
        }));
        app.MapGet("/metrics", async ctx =>
        {
            ctx.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await ctx.Response.WriteAsync(metrics.Render(), ctx.RequestAborted);
        });
        app.MapGet("/explain", async ctx =>
        {
            ctx.Response.ContentType = "text/html; charset=utf-8";
            await ctx.Response.WriteAsync(ExplainPage.Render(model, contract), ctx.RequestAborted);
        });
        app.Lifetime.ApplicationStopped.Register(() => app.Services.GetRequiredService<ServingLog>().DisposeAsync().AsTask().GetAwaiter().GetResult());
        return app;
    }

    /// <summary>Runs the warm-up prediction; <c>/health/ready</c> answers 200 only after it succeeded.</summary>
    public static void WarmUp(WebApplication app)
    {
        var readiness = app.Services.GetRequiredService<Readiness>();
        readiness.WarmUp(app.Services.GetRequiredService<IScoringModel>(), app.Services.GetRequiredService<ServingContract>());
    }

    /// <summary>
    /// Times every request for the metrics and turns exceptions into answers: Kestrel's own request errors (body too
    /// large, bad framing) become their 4xx, a client that went away is ignored, and anything else is logged and
    /// answered 500 — the process itself never dies from a request.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> SafetyNet(ServingMetrics metrics, ILogger logger) => async (context, next) =>
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await JsonResponses.ErrorAsync(context, ex.StatusCode, $"bad request: {ex.Message}");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
#pragma warning disable CA1031 // The server's last line of defence: a bug in one request must not stop the others.
        catch (Exception ex) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "unhandled error on {Path}", context.Request.Path.Value);
            context.Response.Clear();
            await JsonResponses.ErrorAsync(context, 500, "internal error; the server logged the details.");
        }
        finally
        {
            var route = ServingMetrics.RouteIndexOf(context.Request.Path.Value ?? string.Empty);
            metrics.RecordRequest(route, context.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    };
}
