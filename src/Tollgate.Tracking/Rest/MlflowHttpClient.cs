using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Tollgate.Core.Errors;
using Tollgate.Core.Stages;
using Tollgate.Tracking.Configuration;

namespace Tollgate.Tracking.Rest;

/// <summary>
/// HTTP to an MLflow tracking server: JSON bodies with <c>Content-Type: application/json</c> (MLflow answers 400
/// without it), auth like MLflow's clients, and a Polly pipeline that retries 5xx, 429, timeouts and connection
/// failures with exponential backoff. A server still unreachable after the retries is an
/// <see cref="InfrastructureException"/> (exit 4).
/// </summary>
public sealed class MlflowHttpClient : IDisposable
{
    private readonly HttpClient http;
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly TrackingOptions options;

    public MlflowHttpClient(TrackingOptions options, IStageLog? log = null, HttpMessageHandler? handler = null)
    {
        this.options = options;
        BaseUri = new Uri(options.TrackingUri.TrimEnd('/') + "/");
        http = new HttpClient(handler ?? CreateHandler(options), disposeHandler: true)
        {
            BaseAddress = BaseUri,
            Timeout = Timeout.InfiniteTimeSpan, // the per-attempt timeout lives in the pipeline
        };
        if (options.Token is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (options.Username is { } user)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}"));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        http.DefaultRequestHeaders.UserAgent.ParseAdd("tollgate/" + (typeof(MlflowHttpClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
        var retryLog = log ?? NullStageLog.Instance;
        pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 0) is var n && n > 0 ? n : 1,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    var why = args.Outcome.Exception?.Message ?? $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                    retryLog.Warning($"MLflow request failed ({why}); retry {args.AttemptNumber + 1} of {options.MaxRetries} in {args.RetryDelay.TotalMilliseconds:0} ms.");
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.RequestTimeout)
            .Build();
    }

    public Uri BaseUri { get; }

    /// <summary>Sends a request with an optional JSON body and returns the parsed JSON answer (null for an empty body).</summary>
    public async Task<JsonNode?> SendAsync(HttpMethod method, string relativePath, JsonObject? body, CancellationToken cancellationToken)
    {
        var payload = body?.ToJsonString();
        using var response = await SendWithRetriesAsync(
            relativePath,
            () =>
            {
                var request = new HttpRequestMessage(method, relativePath);
                if (payload is not null)
                {
                    request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
                }

                return request;
            },
            cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        ThrowIfError(relativePath, response, text);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    /// <summary>PUTs a file (artifact upload through the <c>mlflow-artifacts</c> proxy). The file is reopened for each attempt.</summary>
    public async Task PutFileAsync(string relativePath, string localPath, string contentType, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetriesAsync(
            relativePath,
            () => new HttpRequestMessage(HttpMethod.Put, relativePath)
            {
                Content = new StreamContent(File.OpenRead(localPath)) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } },
            },
            cancellationToken);
        ThrowIfError(relativePath, response, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public void Dispose() => http.Dispose();

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException or IOException
        || (outcome.Result is { } r && ((int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.TooManyRequests));

    private static HttpMessageHandler CreateHandler(TrackingOptions options)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (options.InsecureTls)
        {
            // MLFLOW_TRACKING_INSECURE_TLS=true: the user asked to skip certificate checks (self-signed internal servers).
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return handler;
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(string relativePath, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(
                async ct =>
                {
                    using var request = create();
                    return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or IOException)
        {
            throw Unreachable(relativePath, ex.Message, ex);
        }

        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw Unreachable(relativePath, $"HTTP {status.ToString(CultureInfo.InvariantCulture)}", null);
        }

        return response;
    }

    private InfrastructureException Unreachable(string relativePath, string reason, Exception? inner) =>
        new(
            $"MLflow tracking server {BaseUri.GetLeftPart(UriPartial.Authority)} unavailable: {relativePath} failed after {options.MaxRetries + 1} attempts ({reason}). " +
            "Start the server or fix MLFLOW_TRACKING_URI; to keep going without it set 'tracking: optional: true' in model.yaml " +
            "(the run is then queued for 'tollgate mlflow sync').",
            inner);

    private static void ThrowIfError(string relativePath, HttpResponseMessage response, string text)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var endpoint = relativePath.Split('?')[0];
        string? code = null;
        var message = text.Length > 300 ? text[..300] + "…" : text;
        try
        {
            if (JsonNode.Parse(text) is JsonObject error)
            {
                code = error["error_code"]?.GetValue<string>();
                message = error["message"]?.GetValue<string>() ?? message;
            }
        }
        catch (JsonException)
        {
            // Not MLflow's error shape (e.g. an HTML 404 from a proxy or a wrong URL): keep the raw text.
            message = response.StatusCode == HttpStatusCode.NotFound
                ? $"not an MLflow endpoint (HTML or text answer). Is MLFLOW_TRACKING_URI the tracking server's base URL? {message.Trim()}"
                : message.Trim();
        }

        throw new MlflowApiException(endpoint, response.StatusCode, code, message);
    }
}
