using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Core.Runs;
using Tollgate.Serving.Hosting;
using Tollgate.Serving.Logging;
using Tollgate.Serving.Scoring;
using Tollgate.Testing;

namespace Tollgate.Serving.Tests.Support;

/// <summary>One server on a real bank-marketing candidate (see <see cref="RealCandidate"/>), on a free 127.0.0.1 port.</summary>
public sealed class RealServerFixture : IAsyncLifetime
{
    private readonly TempDir temp = new("serving-real");
    private CandidateScoringModel? model;

    public WebApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public RunDirectory Run { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Run = await RealCandidate.GetAsync();
        model = CandidateScoringModel.Load(Run.CandidateDir);
        var contract = Contracts.ServingContract.Load(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"));
        var options = new ServingOptions(Run.CandidateDir, null, "http://127.0.0.1:0", new ServingLogOptions(temp.Path, SampleRate: 1));
        App = ServingApp.Build(options, model, contract, TimeProvider.System);
        await App.StartAsync();
        ServingApp.WarmUp(App);
        Client = new HttpClient { BaseAddress = new Uri(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        model?.Dispose();
        temp.Dispose();
    }
}
