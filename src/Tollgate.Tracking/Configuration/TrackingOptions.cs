namespace Tollgate.Tracking.Configuration;

/// <summary>
/// Where and how runs are tracked: read once from the environment (<c>MLFLOW_*</c>, like MLflow's own clients) and the
/// <c>tracking:</c> section of model.yaml by <see cref="TrackingOptionsReader"/>.
/// </summary>
public sealed record TrackingOptions
{
    /// <summary><c>http(s)://…</c> for a tracking server, a <c>file:</c> URI or path for a file store.
    /// <value>Default: the file store <c>./mlruns</c> under the repository root (MLFLOW_TRACKING_URI unset).</value></summary>
    public required string TrackingUri { get; init; }

    /// <summary>MLflow experiment the runs go to. <value>Default: the model name.</value></summary>
    public required string ExperimentName { get; init; }

    /// <summary>Registered model name for release candidates. <value>Default: the model name.</value></summary>
    public required string RegisteredModelName { get; init; }

    /// <summary>When true, an unreachable tracking server is a warning and the run is queued for <c>tollgate mlflow sync</c>.
    /// <value>Default false: an unreachable server fails the stage with exit code 4.</value></summary>
    public bool Optional { get; init; }

    /// <summary>Bearer token (MLFLOW_TRACKING_TOKEN).</summary>
    public string? Token { get; init; }

    /// <summary>Basic-auth user (MLFLOW_TRACKING_USERNAME), with <see cref="Password"/>.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Skip TLS certificate checks (MLFLOW_TRACKING_INSECURE_TLS=true). <value>Default false.</value></summary>
    public bool InsecureTls { get; init; }

    /// <summary>Retries after the first attempt on 5xx, 429, timeouts and connection failures
    /// (MLFLOW_HTTP_REQUEST_MAX_RETRIES). <value>Default 5.</value></summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First backoff delay; doubles each retry (MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR, seconds). <value>Default 1 s.</value></summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of one HTTP attempt (MLFLOW_HTTP_REQUEST_TIMEOUT, seconds). <value>Default 120 s, as MLflow.</value></summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Where runs wait when the server is unreachable. <value>Default <c>artifacts/mlflow-queue</c>.</value></summary>
    public required string QueueDirectory { get; init; }

    /// <summary>True when <see cref="TrackingUri"/> names a tracking server rather than a file store.</summary>
    public bool IsRemote => IsHttp(TrackingUri);

    public static bool IsHttp(string uri) =>
        uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
