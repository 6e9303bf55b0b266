using System.Net;
using System.Net.Sockets;

namespace Tollgate.Cli.Tests.Verbs;

/// <summary>
/// Sets the MLFLOW_* variables for one test and restores them after. Tests using it share one xunit collection, so they
/// never run at the same time.
/// </summary>
public sealed class MlflowEnvironment : IDisposable
{
    public const string Name = "mlflow-environment";

    private static readonly string[] Variables =
        ["MLFLOW_TRACKING_URI", "MLFLOW_HTTP_REQUEST_MAX_RETRIES", "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "TOLLGATE_MLFLOW_QUEUE", "MLFLOW_TRACKING_TOKEN"];

    private readonly Dictionary<string, string?> saved;

    public MlflowEnvironment(string? trackingUri = null)
    {
        saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        foreach (var v in Variables)
        {
            Environment.SetEnvironmentVariable(v, null);
        }

        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", trackingUri);
        Environment.SetEnvironmentVariable("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1");
        Environment.SetEnvironmentVariable("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "0.001");
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public static void SetTrackingUri(string? uri) => Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", uri);

    public void Dispose()
    {
        foreach (var (name, value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
