using Tollgate.Core.Stages;
using Tollgate.Tracking.Configuration;
using Tollgate.Tracking.FileStore;
using Tollgate.Tracking.Rest;

namespace Tollgate.Tracking;

/// <summary>
/// The tracking store and model registry for a <see cref="TrackingOptions"/>: REST for <c>http(s)://</c> URIs, MLflow's
/// file-store layout otherwise. The one place that decides which backend is used.
/// </summary>
public sealed class TrackingBackend : IDisposable
{
    private readonly MlflowHttpClient? client;

    private TrackingBackend(ITrackingStore store, IModelRegistry registry, MlflowHttpClient? client)
    {
        Store = store;
        Registry = registry;
        this.client = client;
    }

    public ITrackingStore Store { get; }

    public IModelRegistry Registry { get; }

    public bool IsRemote => client is not null;

    public static TrackingBackend Create(TrackingOptions options, IStageLog? log = null, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        if (options.IsRemote)
        {
            var http = new MlflowHttpClient(options, log, handler);
            return new TrackingBackend(new RestTrackingStore(http), new RestModelRegistry(http), http);
        }

        return new TrackingBackend(new FileTrackingStore(options.TrackingUri, time), new FileModelRegistry(options.TrackingUri, time), null);
    }

    public void Dispose() => client?.Dispose();
}
