using System.Buffers;
using System.Text.Json;
using Tollgate.Modeling.Scoring;

namespace Tollgate.Serving.Requests;

/// <summary>
/// A predict/explain body after parsing and validation: the rows the model scores, the rows as received (for the
/// serving log), or the errors and the status code to answer with. Owns the parsed JSON document.
/// </summary>
public sealed class ParsedRequest : IDisposable
{
    private readonly JsonDocument? document;
    private byte[]? pooledBody;

    internal ParsedRequest(JsonDocument? document, bool isBatch, IReadOnlyList<FeatureRow> rows, IReadOnlyList<JsonElement> received)
    {
        this.document = document;
        IsBatch = isBatch;
        Rows = rows;
        Received = received;
        Errors = [];
    }

    internal ParsedRequest(JsonDocument? document, int statusCode, IReadOnlyList<FieldError> errors)
    {
        this.document = document;
        StatusCode = statusCode;
        Errors = errors;
        Rows = [];
        Received = [];
    }

    /// <summary>200 when valid; otherwise the 4xx to answer with.</summary>
    public int StatusCode { get; } = 200;

    public bool IsValid => StatusCode == 200;

    /// <summary>True when the body was a JSON array.</summary>
    public bool IsBatch { get; }

    public IReadOnlyList<FeatureRow> Rows { get; }

    /// <summary>Each row's JSON object exactly as received; valid until the request is disposed.</summary>
    public IReadOnlyList<JsonElement> Received { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    public void Dispose()
    {
        document?.Dispose();
        // The body the document was parsed from goes back to the pool only now: the rows and the JSON elements read it.
        if (Interlocked.Exchange(ref pooledBody, null) is { } body)
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    /// <summary>Hands over the pooled array the body was read into, returned to the pool by <see cref="Dispose"/>.</summary>
    internal ParsedRequest Owning(byte[] body)
    {
        pooledBody = body;
        return this;
    }
}
