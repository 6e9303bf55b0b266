using System.Globalization;
using Tollgate.Core.Specs;

namespace Tollgate.Tracking.Configuration;

/// <summary>
/// Builds <see cref="TrackingOptions"/> from the environment and the <c>tracking:</c> section of model.yaml, reporting
/// every problem together. Keys of the section: <c>optional</c>, <c>experiment</c>, <c>registeredModel</c>.
/// </summary>
public static class TrackingOptionsReader
{
    public const string SectionName = "tracking";

    public static TrackingOptions Read(string repoRoot, ModelSpec spec, Func<string, string?>? environment = null)
    {
        var errors = new SpecErrors();
        var section = spec.ReadSection(SectionName, errors);
        section?.RejectUnknownKeys("optional", "experiment", "registeredModel");
        var optional = section?.Boolean("optional") ?? false;
        var experiment = section?.String("experiment") ?? spec.Name;
        var registered = section?.String("registeredModel") ?? spec.Name;
        var connection = ReadConnection(repoRoot, environment, errors);
        errors.ThrowIfAny();
        return connection with { ExperimentName = experiment, RegisteredModelName = registered, Optional = optional };
    }

    /// <summary>
    /// The connection settings from the environment alone (URI, auth, retries, queue folder), for commands without a
    /// model such as <c>tollgate mlflow sync</c>. Experiment and registered model are left empty.
    /// </summary>
    public static TrackingOptions ReadConnection(string repoRoot, Func<string, string?>? environment = null)
    {
        var errors = new SpecErrors();
        var options = ReadConnection(repoRoot, environment, errors);
        errors.ThrowIfAny();
        return options;
    }

    private static TrackingOptions ReadConnection(string repoRoot, Func<string, string?>? environment, SpecErrors errors)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        var uri = env("MLFLOW_TRACKING_URI") is { Length: > 0 } u ? u.Trim() : Path.Combine(repoRoot, "mlruns");
        if (!TrackingOptions.IsHttp(uri))
        {
            uri = ToFileStorePath(repoRoot, uri, errors);
        }

        var token = env("MLFLOW_TRACKING_TOKEN");
        var user = env("MLFLOW_TRACKING_USERNAME");
        var password = env("MLFLOW_TRACKING_PASSWORD");
        if (!string.IsNullOrEmpty(user) != !string.IsNullOrEmpty(password))
        {
            errors.Add("MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD must be set together (basic auth); set both or neither.");
        }

        var retries = EnvNumber(env, "MLFLOW_HTTP_REQUEST_MAX_RETRIES", 5, 0, 20, errors);
        var backoff = EnvNumber(env, "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", 1, 0, 60, errors);
        var timeout = EnvNumber(env, "MLFLOW_HTTP_REQUEST_TIMEOUT", 120, 0.1, 3600, errors);
        var queue = env("TOLLGATE_MLFLOW_QUEUE") is { Length: > 0 } q
            ? Path.GetFullPath(q, repoRoot)
            : Path.Combine(repoRoot, "artifacts", "mlflow-queue");
        return new TrackingOptions
        {
            TrackingUri = uri,
            ExperimentName = string.Empty,
            RegisteredModelName = string.Empty,
            Token = string.IsNullOrEmpty(token) ? null : token,
            Username = string.IsNullOrEmpty(user) ? null : user,
            Password = string.IsNullOrEmpty(password) ? null : password,
            InsecureTls = string.Equals(env("MLFLOW_TRACKING_INSECURE_TLS"), "true", StringComparison.OrdinalIgnoreCase),
            MaxRetries = (int)retries,
            RetryBaseDelay = TimeSpan.FromSeconds(backoff),
            RequestTimeout = TimeSpan.FromSeconds(timeout),
            QueueDirectory = queue,
        };
    }

    /// <summary>A <c>file:</c> URI or plain path as an absolute folder; other schemes are configuration errors.</summary>
    public static string ToFileStorePath(string repoRoot, string uri, SpecErrors errors)
    {
        if (uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile
                ? parsed.LocalPath
                : Path.GetFullPath(uri["file:".Length..], repoRoot);
        }

        if (uri.Contains("://", StringComparison.Ordinal) || uri.StartsWith("databricks", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"MLFLOW_TRACKING_URI='{uri}': Tollgate supports http(s):// tracking servers and file stores (file: URIs or paths); unset it to use ./mlruns.");
            return uri;
        }

        return Path.GetFullPath(uri, repoRoot);
    }

    private static double EnvNumber(Func<string, string?> env, string name, double fallback, double min, double max, SpecErrors errors)
    {
        var text = env(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"{name}='{text}': expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        return fallback;
    }
}
