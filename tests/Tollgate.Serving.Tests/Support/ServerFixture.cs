using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Serving.Contracts;
using Tollgate.Serving.Hosting;
using Tollgate.Serving.Logging;
using Tollgate.Serving.Metrics;
using Tollgate.Testing;

namespace Tollgate.Serving.Tests.Support;

/// <summary>One real Kestrel server on a free 127.0.0.1 port with the fake model and every request logged.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempDir temp = new("serving");

    public WebApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public FakeScoringModel Model { get; } = new();

    public string LogDir => temp.Combine("serving-log");

    public ServingMetrics Metrics => App.Services.GetRequiredService<ServingMetrics>();

    public static ServingContract BankContract => ServingContract.Load(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"));

    public async ValueTask InitializeAsync()
    {
        var options = new ServingOptions(temp.Path, null, "http://127.0.0.1:0", new ServingLogOptions(LogDir, SampleRate: 1), MaxBodyBytes: 64 * 1024, MaxBatchRows: 100, Image: "127.0.0.1:5000/bank-marketing:test");
        App = ServingApp.Build(options, Model, BankContract, TimeProvider.System);
        await App.StartAsync();
        ServingApp.WarmUp(App);
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = NewClient();
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client with its own connections: Kestrel closes a connection after refusing a body it did not read.</summary>
    public HttpClient NewClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        temp.Dispose();
    }
}
