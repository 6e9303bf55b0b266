using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Core.Releases;
using Tollgate.Gateway.Hosting;
using Tollgate.Testing;

namespace Tollgate.Gateway.Tests.Hosting;

/// <summary>The real gateway on a free 127.0.0.1 port, with its routes file in a temp folder.</summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    private readonly WebApplication app;

    private GatewayHarness(WebApplication app, TempDir dir, string routesPath)
    {
        this.app = app;
        Dir = dir;
        RoutesPath = routesPath;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public TempDir Dir { get; }

    public string RoutesPath { get; }

    public string Url { get; private set; } = string.Empty;

    public HttpClient Client { get; }

    public static async Task<GatewayHarness> StartAsync(GatewayRoutes? initial)
    {
        var dir = new TempDir("gateway");
        var routes = dir.Combine(GatewayRoutes.FileName);
        if (initial is not null)
        {
            GatewayRoutes.Write(routes, initial);
        }

        var app = GatewayApp.Build(["--routes", routes, "--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        var harness = new GatewayHarness(app, dir, routes);
        harness.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        harness.Client.BaseAddress = new Uri(harness.Url);
        return harness;
    }

    /// <summary>Writes new routes and waits until the gateway reports it serves them.</summary>
    public async Task<GatewayRoutes> SwitchAsync(GatewayRoutes routes)
    {
        var written = GatewayRoutes.Write(RoutesPath, routes);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await StateAsync(timeout.Token)).Generation < written.Generation)
        {
            await Task.Delay(20, timeout.Token);
        }

        return written;
    }

    public async Task<GatewayState> StateAsync(CancellationToken ct = default) =>
        (await Client.GetFromJsonAsync<GatewayState>(GatewayApp.StatePath, ct))!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Dir.Dispose();
    }
}
