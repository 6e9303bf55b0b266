using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using Tollgate.Serving.Tests.Support;

namespace Tollgate.Serving.Tests.Endpoints;

/// <summary>
/// Thousands of malformed requests from a seeded generator: broken JSON, wrong types, NaN/Infinity, huge numbers,
/// deep nesting, huge arrays, invalid UTF-8, wrong content types and methods. None may get a 5xx, and the server must
/// still answer a valid request afterwards.
/// </summary>
public sealed class RequestFuzzTests : IClassFixture<ServerFixture>
{
    private const int Requests = 3000;
    private readonly ServerFixture server;

    public RequestFuzzTests(ServerFixture server)
    {
        this.server = server;
    }

    [Fact]
    public async Task Predict_ThousandsOfMalformedRequests_NeverAnswers5xx()
    {
        var random = new Random(20261127);
        var cases = Enumerable.Range(0, Requests).Select(i => Generate(random, i)).ToList();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        using var client = server.NewClient();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (c, ct) =>
        {
            using var request = new HttpRequestMessage(c.Method, c.Path);
            if (c.Body is not null)
            {
                request.Content = new ByteArrayContent(c.Body);
                if (c.ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
                }
            }

            int status;
            try
            {
                using var response = await client.SendAsync(request, ct);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // Kestrel closes a connection after refusing an unread body (413); the request itself got its answer.
                status = 0;
            }

            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (status >= 500)
            {
                failures.Add($"{c.Kind}: {status} for {Encoding.UTF8.GetString(c.Body ?? []).AsSpan(0, Math.Min(200, c.Body?.Length ?? 0))}");
            }
        });

        failures.ShouldBeEmpty($"{failures.Count} requests got 5xx; first: {failures.FirstOrDefault()}");
        server.Metrics.Render().ShouldNotContain("class=\"5xx\"");
        statuses.Keys.Where(s => s is >= 400 and < 500).Count().ShouldBeGreaterThan(3, "the generator should provoke several kinds of 4xx: " + string.Join(", ", statuses.Select(p => $"{p.Key}×{p.Value}")));
        var after = await server.Client.PostAsync("/v1/predict", new StringContent(BankRows.Valid().ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        after.StatusCode.ShouldBe(HttpStatusCode.OK, "the server must still serve after the fuzzing");
    }

    private static FuzzCase Generate(Random random, int index)
    {
        var json = "application/json";
        var valid = BankRows.Valid();
        switch (index % 16)
        {
            case 0:
                var bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                return new("random-bytes", HttpMethod.Post, "/v1/predict", bytes, json);
            case 1:
                var text = valid.ToJsonString();
                return new("truncated", HttpMethod.Post, "/v1/predict", Encoding.UTF8.GetBytes(text[..random.Next(0, text.Length)]), json);
            case 2:
                return new("bad-value", HttpMethod.Post, index % 3 == 0 ? "/v1/explain" : "/v1/predict", Encoding.UTF8.GetBytes(Mutate(valid, random)), json);
            case 3:
                var literal = new[] { "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "0x10", "01", "+1", ".5", "1.", "\"NaN\"", "18446744073709551616" }[random.Next(13)];
                return new("number-literal", HttpMethod.Post, "/v1/predict", Encoding.UTF8.GetBytes(valid.ToJsonString().Replace("\"age\":35", "\"age\":" + literal, StringComparison.Ordinal)), json);
            case 4:
                var depth = random.Next(5, 20_000);
                return new("deep-nesting", HttpMethod.Post, "/v1/predict", Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)), json);
            case 5:
                var nested = valid.DeepClone().AsObject();
                nested["job"] = JsonNode.Parse("{\"a\":[1,{\"b\":2}]}");
                return new("nested-value", HttpMethod.Post, "/v1/predict", Encoding.UTF8.GetBytes(nested.ToJsonString()), json);
            case 6:
                var count = random.Next(101, 3000);
                return new("huge-array", HttpMethod.Post, "/v1/predict", Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat("{}", count)) + "]"), json);
            case 7:
                var types = new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "garbage;;;", string.Empty, "application/jsonx" };
                return new("content-type", HttpMethod.Post, "/v1/predict", Encoding.UTF8.GetBytes(valid.ToJsonString()), types[random.Next(types.Length)]);
            case 8:
                return new("no-content-type", HttpMethod.Post, "/v1/predict", Encoding.UTF8.GetBytes(valid.ToJsonString()), null);
            case 9:
                return new("invalid-utf8", HttpMethod.Post, "/v1/predict", [.. Encoding.UTF8.GetBytes("{\"job\":\""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"}")], json);
            case 10:
                var scalars = new[] { "1", "\"row\"", "null", "true", "[]", "[1,2]", "[null]", "{}", "[[]]", "\"\"" };
                return new("wrong-root", HttpMethod.Post, "/v1/predict", Encoding.UTF8.GetBytes(scalars[random.Next(scalars.Length)]), json);
            case 11:
                return new("duplicate-key", HttpMethod.Post, "/v1/predict", Encoding.UTF8.GetBytes(valid.ToJsonString().Replace("{", "{\"age\":\"x\",", StringComparison.Ordinal)), json);
            case 12:
                var methods = new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options, HttpMethod.Head };
                return new("method", methods[random.Next(methods.Length)], "/v1/predict", null, null);
            case 13:
                var paths = new[] { "/v1/predict/", "/v1/predict?x=1", "/v1//predict", "/v1/%00", "/../etc/passwd", "/v1/predict%20", "/" + new string('a', 2000) };
                return new("path", HttpMethod.Post, paths[random.Next(paths.Length)], Encoding.UTF8.GetBytes(valid.ToJsonString()), json);
            case 14:
                var longString = valid.DeepClone().AsObject();
                longString["marital"] = new string('x', random.Next(200, 20_000));
                return new("long-string", HttpMethod.Post, "/v1/predict", Encoding.UTF8.GetBytes(longString.ToJsonString()), json);
            default:
                var batch = new JsonArray(valid.DeepClone(), JsonNode.Parse(Mutate(valid, random)), JsonValue.Create(random.Next()));
                return new("batch-mixed", HttpMethod.Post, "/v1/predict", Encoding.UTF8.GetBytes(batch.ToJsonString()), json);
        }
    }

    private static string Mutate(JsonObject valid, Random random)
    {
        var row = valid.DeepClone().AsObject();
        var names = row.Select(p => p.Key).ToList();
        var name = names[random.Next(names.Count)];
        JsonNode? value = random.Next(9) switch
        {
            0 => null,
            1 => JsonValue.Create(random.NextDouble() * 1e12),
            2 => JsonValue.Create(-random.Next()),
            3 => JsonValue.Create(true),
            4 => JsonValue.Create("\u0000\uFFFF\uD83D\uDE00"),
            5 => new JsonArray(1, 2, 3),
            6 => JsonValue.Create(0.5),
            7 => JsonValue.Create(string.Empty),
            _ => JsonValue.Create(random.Next(-5, 5)),
        };
        if (random.Next(4) == 0)
        {
            row.Remove(name);
        }
        else
        {
            row[name] = value;
        }

        return row.ToJsonString();
    }

    private sealed record FuzzCase(string Kind, HttpMethod Method, string Path, byte[]? Body, string? ContentType);
}
