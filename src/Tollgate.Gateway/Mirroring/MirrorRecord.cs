using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Tollgate.Gateway.Mirroring;

/// <summary>
/// One line of the mirror log: the request, the production answer the client got and the shadow's answer, which is
/// only ever logged. Shadow-Deploy in <c>mirror</c> mode reads these (MirrorLogReader) to measure the candidate on
/// live traffic. A line is a JSON object with <c>requestId, at, method, path, requestBody?, productionVersion,
/// productionStatus, productionMs, productionBody, shadowVersion, shadowStatus?, shadowMs?, shadowBody?, shadowError?</c>
/// (absent when null; bodies as JSON strings). It is written straight from the bytes both answers arrived as — no
/// intermediate strings — because every byte allocated here is garbage collected in the process production's
/// requests go through.
/// </summary>
public sealed record MirrorRecord(MirrorItem Item, int? ShadowStatus, double? ShadowMs, ReadOnlyMemory<byte> ShadowBody, string? ShadowError)
{
    /// <summary>Longest body logged, in bytes (longer ones are cut).</summary>
    public const int MaxLoggedBodyBytes = 64 * 1024;

    /// <summary>The writer options of the log: compact, relaxed escaping like the rest of Tollgate's JSON, one object per line.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private static readonly JsonEncodedText RequestIdName = JsonEncodedText.Encode("requestId");
    private static readonly JsonEncodedText AtName = JsonEncodedText.Encode("at");
    private static readonly JsonEncodedText MethodName = JsonEncodedText.Encode("method");
    private static readonly JsonEncodedText PathName = JsonEncodedText.Encode("path");
    private static readonly JsonEncodedText RequestBodyName = JsonEncodedText.Encode("requestBody");
    private static readonly JsonEncodedText ProductionVersionName = JsonEncodedText.Encode("productionVersion");
    private static readonly JsonEncodedText ProductionStatusName = JsonEncodedText.Encode("productionStatus");
    private static readonly JsonEncodedText ProductionMsName = JsonEncodedText.Encode("productionMs");
    private static readonly JsonEncodedText ProductionBodyName = JsonEncodedText.Encode("productionBody");
    private static readonly JsonEncodedText ShadowVersionName = JsonEncodedText.Encode("shadowVersion");
    private static readonly JsonEncodedText ShadowStatusName = JsonEncodedText.Encode("shadowStatus");
    private static readonly JsonEncodedText ShadowMsName = JsonEncodedText.Encode("shadowMs");
    private static readonly JsonEncodedText ShadowBodyName = JsonEncodedText.Encode("shadowBody");
    private static readonly JsonEncodedText ShadowErrorName = JsonEncodedText.Encode("shadowError");

    /// <summary>Writes the line's JSON object (without the newline).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var item = Item;
        writer.WriteStartObject();
        writer.WriteString(RequestIdName, item.RequestId);
        writer.WriteString(AtName, item.At);
        writer.WriteString(MethodName, item.Method);
        writer.WriteString(PathName, item.PathAndQuery);
        if (item.Body.Length > 0)
        {
            WriteText(writer, RequestBodyName, item.Body.Span);
        }

        writer.WriteString(ProductionVersionName, item.Production.Version);
        writer.WriteNumber(ProductionStatusName, item.ProductionStatus);
        writer.WriteNumber(ProductionMsName, item.ProductionMs);
        WriteText(writer, ProductionBodyName, item.ProductionBody.Span);
        writer.WriteString(ShadowVersionName, item.Shadow.Version);
        if (ShadowStatus is { } status)
        {
            writer.WriteNumber(ShadowStatusName, status);
        }

        if (ShadowMs is { } ms)
        {
            writer.WriteNumber(ShadowMsName, ms);
        }

        if (ShadowStatus is not null)
        {
            WriteText(writer, ShadowBodyName, ShadowBody.Span);
        }

        if (ShadowError is { } error)
        {
            writer.WriteString(ShadowErrorName, error);
        }

        writer.WriteEndObject();
    }

    /// <summary>UTF-8 bytes as a JSON string; bytes that are not valid UTF-8 (a cut multi-byte character) are replaced.</summary>
    private static void WriteText(Utf8JsonWriter writer, JsonEncodedText name, ReadOnlySpan<byte> utf8)
    {
        utf8 = utf8[..Math.Min(utf8.Length, MaxLoggedBodyBytes)];
        if (Utf8.IsValid(utf8))
        {
            writer.WriteString(name, utf8);
        }
        else
        {
            writer.WriteString(name, Encoding.UTF8.GetString(utf8));
        }
    }
}
