using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Modeling.Scoring;
using Tollgate.Serving.Hosting;
using Tollgate.Serving.Logging;
using Tollgate.Serving.Metrics;
using Tollgate.Serving.Requests;
using Tollgate.Serving.Scoring;

namespace Tollgate.Serving.Endpoints;

/// <summary>
/// <c>POST /v1/predict</c> and <c>POST /v1/explain</c>: read the body within its size limit, validate it against the
/// contract, score through <see cref="IScoringModel"/> and answer. Every client mistake is a 4xx with a clear message.
/// </summary>
public sealed class PredictEndpoint
{
    private readonly IScoringModel model;
    private readonly RowValidator validator;
    private readonly ServingMetrics metrics;
    private readonly ServingLog log;
    private readonly Readiness readiness;
    private readonly long maxBodyBytes;

    // Names and the model's identity encoded (and escaped) once, not on every answer.
    private static readonly JsonEncodedText ModelName = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText ScoreName = JsonEncodedText.Encode("score");
    private static readonly JsonEncodedText LabelName = JsonEncodedText.Encode("label");
    private static readonly JsonEncodedText ThresholdName = JsonEncodedText.Encode("threshold");
    private readonly JsonEncodedText modelValue;
    private readonly JsonEncodedText versionValue;

    public PredictEndpoint(IScoringModel model, RowValidator validator, ServingMetrics metrics, ServingLog log, Readiness readiness, ServingOptions options)
    {
        this.model = model;
        this.validator = validator;
        this.metrics = metrics;
        this.log = log;
        this.readiness = readiness;
        maxBodyBytes = options.MaxBodyBytes;
        modelValue = JsonEncodedText.Encode(model.Info.Name);
        versionValue = JsonEncodedText.Encode(model.Info.Version);
    }

    public async Task PredictAsync(HttpContext context)
    {
        using var request = await ReadAsync(context);
        if (request is null)
        {
            return;
        }

        // Scored inline on the request's thread: a row costs microseconds through the pooled single-row scorers, less
        // than handing it to another thread would.
        var predictions = request.Predictions;
        model.Score(request.Rows, predictions);
        metrics.RecordPredictions(predictions);
        await JsonResponses.WriteAsync(context, 200, (Endpoint: this, request.IsBatch, Predictions: predictions), static (json, answer) =>
        {
            var self = answer.Endpoint;
            json.WriteStartObject();
            json.WriteString(ModelName, self.modelValue);
            json.WriteString(VersionName, self.versionValue);
            if (answer.IsBatch)
            {
                WriteNumberOrNull(json, ThresholdName, self.model.Info.Threshold);
                json.WriteStartArray("predictions");
                for (var i = 0; i < answer.Predictions.Length; i++)
                {
                    json.WriteStartObject();
                    WritePrediction(json, answer.Predictions[i]);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }
            else
            {
                WritePrediction(json, answer.Predictions[0]);
                WriteNumberOrNull(json, ThresholdName, self.model.Info.Threshold);
            }

            json.WriteEndObject();
        });
        LogSample(context, request, predictions);
    }

    public async Task ExplainAsync(HttpContext context)
    {
        using var request = await ReadAsync(context);
        if (request is null)
        {
            return;
        }

        if (request.IsBatch)
        {
            await JsonResponses.ErrorAsync(context, 400, "explain takes one row object, not an array.", [new FieldError("$", "send a single row object.")]);
            return;
        }

        var explanation = model.Explain(request.Rows[0]);
        metrics.RecordPredictions([explanation.Prediction]);
        var info = model.Info;
        await JsonResponses.WriteAsync(context, 200, json =>
        {
            json.WriteStartObject();
            json.WriteString("model", info.Name);
            json.WriteString("version", info.Version);
            WritePrediction(json, explanation.Prediction);
            json.WriteNumberOrNull("threshold", info.Threshold);
            json.WriteNumberOrNull("rawScore", explanation.Prediction.RawScore);
            json.WriteNumberOrNull("baseValue", explanation.BaseValue);
            json.WriteStartArray("contributions");
            foreach (var c in explanation.Contributions)
            {
                json.WriteStartObject();
                json.WriteString("feature", c.Feature);
                json.WriteString("value", c.Value);
                json.WriteNumberOrNull("contribution", c.Contribution);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
        LogSample(context, request, [explanation.Prediction]);
    }

    private static void WritePrediction(Utf8JsonWriter json, Prediction p)
    {
        WriteNumberOrNull(json, ScoreName, p.Score);
        if (p.IsPositive is { } label)
        {
            json.WriteBoolean(LabelName, label);
        }
    }

    /// <summary>As <see cref="JsonResponses.WriteNumberOrNull"/>, for a pre-encoded name.</summary>
    private static void WriteNumberOrNull(Utf8JsonWriter json, JsonEncodedText name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>Checks readiness, content type and size, then parses; null when an error answer was already written.</summary>
    private async ValueTask<ParsedRequest?> ReadAsync(HttpContext context)
    {
        if (!readiness.IsReady)
        {
            context.Response.Headers.RetryAfter = "1";
            await JsonResponses.ErrorAsync(context, 503, $"the model is not ready: {readiness.Status}.");
            return null;
        }

        if (!IsJson(context.Request.ContentType))
        {
            await JsonResponses.ErrorAsync(
                context,
                415,
                $"Content-Type must be application/json, got '{Truncate(context.Request.ContentType ?? "(none)")}'.");
            return null;
        }

        if (context.Request.ContentLength > maxBodyBytes)
        {
            await JsonResponses.ErrorAsync(context, 413, $"the body is {context.Request.ContentLength} bytes; the limit is {maxBodyBytes}. Send smaller batches.");
            return null;
        }

        if (await ReadBodyAsync(context.Request.Body, context.Request.ContentLength, context.RequestAborted) is not var (body, length))
        {
            await JsonResponses.ErrorAsync(context, 413, $"the body is larger than the limit of {maxBodyBytes} bytes. Send smaller batches.");
            return null;
        }

        if (length == 0)
        {
            ArrayPool<byte>.Shared.Return(body);
            await JsonResponses.ErrorAsync(context, 400, "the body is empty; send a row object or an array of row objects.");
            return null;
        }

        var parsed = validator.Parse(body.AsMemory(0, length)).Owning(body);
        if (!parsed.IsValid)
        {
            using (parsed)
            {
                await JsonResponses.ErrorAsync(
                    context,
                    parsed.StatusCode,
                    parsed.StatusCode == 413 ? "the request is too large." : "the request does not match the data contract.",
                    parsed.Errors);
            }

            return null;
        }

        return parsed;
    }

    /// <summary>
    /// Reads the whole body into an array from the shared pool (the parsed request returns it when disposed), or null
    /// when it exceeds the limit (chunked bodies carry no Content-Length).
    /// </summary>
    private async ValueTask<(byte[] Buffer, int Length)?> ReadBodyAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        if (contentLength is { } declared and <= 64 * 1024)
        {
            // The common case: the size is known (within the limit, checked before; Kestrel never passes more than declared).
            var exact = ArrayPool<byte>.Shared.Rent((int)declared);
            try
            {
                var read = await body.ReadAtLeastAsync(exact.AsMemory(0, (int)declared), (int)declared, throwOnEndOfStream: false, cancellationToken);
                return (exact, read); // Kestrel itself rejects a body shorter than declared
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(exact);
                throw;
            }
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var handedOver = false;
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= maxBodyBytes + 1)
                    {
                        return null;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBodyBytes)
                {
                    return null;
                }
            }

            handedOver = true;
            return (buffer, length);
        }
        finally
        {
            if (!handedOver)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private void LogSample(HttpContext context, ParsedRequest request, IReadOnlyList<Prediction> predictions)
    {
        if (log.ShouldSample())
        {
            log.Write(context.Request.Path.Value ?? string.Empty, context.TraceIdentifier, request.Received, request.Rows, predictions);
        }
    }

    private static bool IsJson(string? contentType) =>
        // What clients send almost always, checked without parsing the header.
        string.Equals(contentType, "application/json", StringComparison.OrdinalIgnoreCase)
        || string.Equals(contentType, "application/json; charset=utf-8", StringComparison.OrdinalIgnoreCase)
        || (contentType is not null
        && MediaTypeHeaderValue.TryParse(contentType, out var media)
        && string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
        && (media.CharSet is null || string.Equals(media.CharSet, "utf-8", StringComparison.OrdinalIgnoreCase)));

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
