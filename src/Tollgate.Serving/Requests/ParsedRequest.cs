using System.Buffers;
using System.Text.Json;
using Tollgate.Modeling.Scoring;

namespace Tollgate.Serving.Requests;

/// <summary>
/// A predict/explain body after parsing and validation: the rows the model scores, the rows as received (for the
/// serving log), room for the model's answers, or the errors and the status code to answer with. Owns the parsed JSON
/// document. A valid single-row request — the common one — is an instance reused from request to request (with its
/// row, its values and its lists): <see cref="Dispose"/> hands it back to the <see cref="RowValidator"/> it came from.
/// </summary>
public sealed class ParsedRequest : IDisposable
{
    private readonly RowValidator? owner;
    private readonly JsonElement[]? singleReceived;
    private JsonDocument? document;
    private byte[]? pooledBody;
    private int leased;

    internal ParsedRequest(JsonDocument? document, bool isBatch, IReadOnlyList<FeatureRow> rows, IReadOnlyList<JsonElement> received)
    {
        this.document = document;
        IsBatch = isBatch;
        Rows = rows;
        Received = received;
        Predictions = new Prediction[rows.Count];
        Errors = [];
    }

    internal ParsedRequest(JsonDocument? document, int statusCode, IReadOnlyList<FieldError> errors)
    {
        this.document = document;
        StatusCode = statusCode;
        Errors = errors;
        Rows = [];
        Received = [];
        Predictions = [];
    }

    /// <summary>A reusable single-row request of <paramref name="owner"/>, filled through <see cref="Numeric"/> and <see cref="Categorical"/>.</summary>
    internal ParsedRequest(RowValidator owner, FeatureIndex numeric, FeatureIndex categorical)
    {
        this.owner = owner;
        Numeric = new FeatureValues<float>(numeric);
        Categorical = new FeatureValues<string>(categorical);
        Rows = [new FeatureRow(Numeric, Categorical)];
        Received = singleReceived = new JsonElement[1];
        Predictions = new Prediction[1];
        Errors = [];
    }

    /// <summary>200 when valid; otherwise the 4xx to answer with.</summary>
    public int StatusCode { get; } = 200;

    public bool IsValid => StatusCode == 200;

    /// <summary>True when the body was a JSON array.</summary>
    public bool IsBatch { get; }

    /// <summary>The rows to score; valid until the request is disposed.</summary>
    public IReadOnlyList<FeatureRow> Rows { get; }

    /// <summary>Each row's JSON object exactly as received; valid until the request is disposed.</summary>
    public IReadOnlyList<JsonElement> Received { get; }

    /// <summary>One slot per row for the model's answers (reused with the request: no array per answer).</summary>
    public Prediction[] Predictions { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>The reusable single row's values (null on other requests).</summary>
    internal FeatureValues<float>? Numeric { get; }

    internal FeatureValues<string>? Categorical { get; }

    public void Dispose()
    {
        document?.Dispose();
        document = null;
        // The body the document was parsed from goes back to the pool only now: the rows and the JSON elements read it.
        if (Interlocked.Exchange(ref pooledBody, null) is { } body)
        {
            ArrayPool<byte>.Shared.Return(body);
        }

        // Once only, however often disposed: a request handed back twice would be given to two callers at once.
        if (owner is not null && Interlocked.Exchange(ref leased, 0) == 1)
        {
            Clear();
            owner.Return(this);
        }
    }

    /// <summary>Hands over the pooled array the body was read into, returned to the pool by <see cref="Dispose"/>.</summary>
    internal ParsedRequest Owning(byte[] body)
    {
        pooledBody = body;
        return this;
    }

    /// <summary>Takes a reusable request for one caller: the document its row was read from, and that row's object.</summary>
    internal ParsedRequest Lease(JsonDocument parsed, JsonElement row)
    {
        document = parsed;
        singleReceived![0] = row;
        Volatile.Write(ref leased, 1);
        return this;
    }

    /// <summary>Forgets a reusable request's values, answers and document (a request filled but not leased is cleared too).</summary>
    internal void Clear()
    {
        Numeric!.Clear();
        Categorical!.Clear();
        singleReceived![0] = default;
        Predictions[0] = default;
    }
}
