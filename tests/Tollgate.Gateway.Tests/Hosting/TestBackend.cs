using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tollgate.Gateway.Tests.Hosting;

/// <summary>A small real HTTP server on 127.0.0.1 (a free port) standing in for a model version behind the gateway.</summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication app;
    private int requests;

    private TestBackend(WebApplication app)
    {
        this.app = app;
    }

    public string Url { get; private set; } = string.Empty;

    public int Requests => Volatile.Read(ref requests);

    /// <summary>Starts a backend whose every request is answered by <paramref name="handler"/>.</summary>
    public static async Task<TestBackend> StartAsync(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var backend = new TestBackend(app);
        app.Run(async context =>
        {
            Interlocked.Increment(ref backend.requests);
            await handler(context);
        });
        await app.StartAsync();
        backend.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return backend;
    }

    /// <summary>A backend that answers every request with <paramref name="text"/>.</summary>
    public static Task<TestBackend> ConstantAsync(string text) =>
        StartAsync(context => context.Response.WriteAsync(text));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
