using System.Text.Json;
using Tollgate.Core.Errors;
using Tollgate.Core.Releases;

namespace Tollgate.Gateway.Routing;

/// <summary>
/// The routes in force. Requests read <see cref="Current"/> once, so each request goes wholly to one upstream; a reload
/// swaps one reference, which is the atomic switch. The file is polled (a few stat calls a second) rather than watched,
/// because atomic renames and network file systems make change notifications unreliable.
/// </summary>
public sealed class RouteTable : BackgroundService
{
    private readonly string path;
    private readonly ILogger<RouteTable> logger;
    private readonly TimeSpan interval;
    private GatewayRoutes current = new(0, null);
    private DateTime lastWrite;

    public RouteTable(string path, ILogger<RouteTable> logger, TimeSpan? interval = null)
    {
        this.path = Path.GetFullPath(path);
        this.logger = logger;
        this.interval = interval ?? TimeSpan.FromMilliseconds(100);
        Reload();
    }

    public string FilePath => path;

    public GatewayRoutes Current => Volatile.Read(ref current);

    /// <summary>Re-reads the file when it changed. A bad file keeps the last good routes: a typo must not take production down.</summary>
    public bool Reload()
    {
        try
        {
            var write = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : default;
            if (write == lastWrite)
            {
                return false;
            }

            var routes = GatewayRoutes.TryRead(path);
            lastWrite = write;
            if (routes is null || routes.Generation <= Current.Generation)
            {
                return false;
            }

            Volatile.Write(ref current, routes);
            logger.LogInformation("routes generation {Generation}: production {Production}, shadow {Shadow}", routes.Generation, routes.Production?.Url ?? "none", routes.Shadow?.Url ?? "none");
            return true;
        }
        catch (Exception ex) when (ex is IOException or JsonException or ConfigurationException or UnauthorizedAccessException)
        {
            logger.LogWarning("{Path}: cannot apply routes ({Message}); keeping generation {Generation}", path, ex.Message, Current.Generation);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Reload();
        }
    }
}
