using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.IO;

namespace Tollgate.Release.FakeServer;

/// <summary>The fake model server.</summary>
public static class ServerMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var candidate = Arg("--candidate");
        var urls = Arg("--urls");
        var meta = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(candidate, "candidate.json")))!.AsObject();
        var fakePath = Path.Combine(candidate, "fake.json");
        var fake = File.Exists(fakePath) ? TollgateJson.ReadFile<FakeBehaviour>(fakePath) : new FakeBehaviour();
        if (fake.ExitAtStart)
        {
            await Console.Error.WriteLineAsync("fake server: exiting at start as fake.json asks");
            return 1;
        }

        var version = (string)meta["version"]!;
        var threshold = meta["threshold"]?.GetValue<double>() ?? 0.5;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        var started = Stopwatch.StartNew();
        var count = 0;
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        app.MapGet("/health/ready", () => started.ElapsedMilliseconds >= fake.ReadyDelayMs
            ? Results.Ok(new { status = "ready" })
            : Results.Json(new { status = "warming up" }, statusCode: 503));
        app.MapGet("/v1/metadata", () => Results.Json(new { name = (string)meta["model"]!, version, runId = (string?)meta["runId"], threshold }));
        app.MapPost("/v1/predict", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (fake.PredictDelayMs > 0)
            {
                await Task.Delay(fake.PredictDelayMs);
            }

            if (fake.FailEvery > 0 && Interlocked.Increment(ref count) % fake.FailEvery == 0)
            {
                return Results.Json(new { error = "fake failure" }, statusCode: 500);
            }

            try
            {
                JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                return Results.Json(new { error = "malformed JSON" }, statusCode: 400);
            }

            // Deterministic: the same row gets the same score from every version without a shift.
            var score = Math.Clamp((Math.Abs(StableHash(body)) % 1000 / 1000.0) + fake.ScoreShift, 0, 1);
            return Results.Json(new { model = (string)meta["model"]!, version, score, label = score >= threshold, threshold });
        });
        await app.RunAsync();
        return 0;
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            var h = 17;
            foreach (var c in s)
            {
                h = (h * 31) + c;
            }

            return h == int.MinValue ? 0 : h;
        }
    }
}
