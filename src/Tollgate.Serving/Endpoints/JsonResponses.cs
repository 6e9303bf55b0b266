using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Serving.Requests;

namespace Tollgate.Serving.Endpoints;

/// <summary>Writes JSON answers straight to the response pipe; errors share one shape: <c>{"error": …, "errors": [{field, message}]}</c>.</summary>
public static class JsonResponses
{
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>Where an idle cached writer points between answers, so it holds no response's pipe.</summary>
    private static readonly ArrayBufferWriter<byte> Detached = new(1);

    // One writer per thread, re-pointed at each response's pipe: the body callback is synchronous, so a writer is never
    // in use by two answers at once.
    [ThreadStatic]
    private static Utf8JsonWriter? cachedWriter;

    public static Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> body) =>
        WriteAsync(context, status, body, static (json, write) => write(json));

    /// <summary>
    /// Writes an answer whose body callback gets its data as <paramref name="state"/> — with a static lambda and a struct
    /// state, no closure or delegate is allocated per answer (the predict path's case).
    /// </summary>
    public static async Task WriteAsync<TState>(HttpContext context, int status, TState state, Action<Utf8JsonWriter, TState> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        var writer = cachedWriter ?? new Utf8JsonWriter(Detached);
        cachedWriter = null; // a body that answered another request from inside its callback would get its own writer
        writer.Reset(context.Response.BodyWriter);
        try
        {
            body(writer, state);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Detached);
            cachedWriter = writer;
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public static Task ErrorAsync(HttpContext context, int status, string error, IReadOnlyList<FieldError>? errors = null) =>
        WriteAsync(context, status, json =>
        {
            json.WriteStartObject();
            json.WriteString("error", error);
            json.WriteNumber("status", status);
            if (errors is { Count: > 0 })
            {
                json.WriteStartArray("errors");
                foreach (var e in errors)
                {
                    json.WriteStartObject();
                    json.WriteString("field", e.Field);
                    json.WriteString("message", e.Message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        });

    /// <summary>Writes a double, or null when it is not finite (JSON has no NaN).</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter json, string name, double? value)
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
}
