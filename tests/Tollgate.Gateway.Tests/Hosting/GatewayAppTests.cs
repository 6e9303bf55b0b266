using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Tollgate.Core.Releases;

namespace Tollgate.Gateway.Tests.Hosting;

public sealed class GatewayAppTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Request_NoProductionYet_Returns503WithReason()
    {
        await using var gateway = await GatewayHarness.StartAsync(initial: null);

        using var response = await gateway.Client.GetAsync("/v1/metadata", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("tollgate promote");
    }

    [Fact]
    public async Task Request_WithProduction_ForwardsPathAndBody()
    {
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            await context.Response.WriteAsync($"{context.Request.Method} {context.Request.Path} {await reader.ReadToEndAsync()}");
        });
        await using var gateway = await GatewayHarness.StartAsync(new GatewayRoutes(0, new("v1", backend.Url, "p1")));

        using var response = await gateway.Client.PostAsync("/v1/predict", new StringContent("{\"age\":30}", Encoding.UTF8, "application/json"), Ct);

        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("POST /v1/predict {\"age\":30}");
    }

    [Fact]
    public async Task RoutesFileReplaced_NextRequests_GoToTheNewUpstream()
    {
        await using var a = await TestBackend.ConstantAsync("A");
        await using var b = await TestBackend.ConstantAsync("B");
        await using var gateway = await GatewayHarness.StartAsync(new GatewayRoutes(0, new("v1", a.Url, "a")));
        (await gateway.Client.GetStringAsync("/", Ct)).ShouldBe("A");

        var written = await gateway.SwitchAsync(new GatewayRoutes(0, new("v2", b.Url, "b")));

        (await gateway.Client.GetStringAsync("/", Ct)).ShouldBe("B", "after the gateway acknowledged the new generation, traffic must go to the new upstream");
        (await gateway.StateAsync(Ct)).Production!.Version.ShouldBe("v2");
        written.Generation.ShouldBe(2);
    }

    [Fact]
    public async Task RoutesFileCorrupt_KeepsServingTheLastGoodRoutes()
    {
        await using var a = await TestBackend.ConstantAsync("A");
        await using var gateway = await GatewayHarness.StartAsync(new GatewayRoutes(0, new("v1", a.Url, "a")));

        await File.WriteAllTextAsync(gateway.RoutesPath, "{ not json", Ct);
        await Task.Delay(300, Ct); // several poll intervals: the bad file has been seen

        (await gateway.Client.GetStringAsync("/", Ct)).ShouldBe("A");
        (await gateway.StateAsync(Ct)).Generation.ShouldBe(1);
    }

    [Fact]
    public async Task Mirror_ShadowNeverAnswers_EveryProductionRequestStillAnswered()
    {
        var release = new TaskCompletionSource();
        await using var production = await TestBackend.ConstantAsync("P");
        await using var shadow = await TestBackend.StartAsync(async context => await release.Task.WaitAsync(context.RequestAborted));
        await using var gateway = await GatewayHarness.StartAsync(new GatewayRoutes(0, new("v1", production.Url, "p"), new("v2", shadow.Url, "s"), MirrorQueueCapacity: 4, MirrorConcurrency: 1));

        // If mirroring waited for the shadow, the first request would hang until the client's timeout and fail.
        for (var i = 0; i < 30; i++)
        {
            using var response = await gateway.Client.PostAsync("/v1/predict", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("P");
        }

        var stats = (await gateway.StateAsync(Ct)).Mirror;
        stats.Dropped.ShouldBeGreaterThan(0, "a shadow that never answers fills the bounded queue; further copies must be dropped");
        (stats.Enqueued + stats.Dropped).ShouldBe(30);
        release.SetResult();
    }

    [Fact]
    public async Task Mirror_ShadowAnswers_AnswerIsLoggedNeverReturned()
    {
        await using var production = await TestBackend.ConstantAsync("{\"score\":0.25}");
        await using var shadow = await TestBackend.ConstantAsync("{\"score\":0.75}");
        await using var gateway = await GatewayHarness.StartAsync(new GatewayRoutes(0, new("v1", production.Url, "p"), new("v2", shadow.Url, "s")));

        for (var i = 0; i < 5; i++)
        {
            var body = await (await gateway.Client.PostAsync("/v1/predict", new StringContent($"{{\"row\":{i}}}", Encoding.UTF8, "application/json"), Ct)).Content.ReadAsStringAsync(Ct);
            body.ShouldBe("{\"score\":0.25}", "the client must only ever see production's answer");
        }

        var log = gateway.Dir.Combine("mirror.jsonl");
        var lines = await WaitForLinesAsync(log, 5);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        first.GetProperty("shadowBody").GetString().ShouldBe("{\"score\":0.75}");
        first.GetProperty("productionBody").GetString().ShouldBe("{\"score\":0.25}");
        first.GetProperty("shadowVersion").GetString().ShouldBe("v2");
        lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("requestBody").GetString()).ShouldContain("{\"row\":3}");
        shadow.Requests.ShouldBe(5);
    }

    [Fact]
    public async Task Mirror_ShadowFails_ProductionUnaffectedAndFailureLogged()
    {
        await using var production = await TestBackend.ConstantAsync("P");
        await using var shadow = await TestBackend.StartAsync(context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        await using var gateway = await GatewayHarness.StartAsync(new GatewayRoutes(0, new("v1", production.Url, "p"), new("v2", shadow.Url, "s")));

        (await gateway.Client.PostAsync("/v1/predict", new StringContent("{}"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var lines = await WaitForLinesAsync(gateway.Dir.Combine("mirror.jsonl"), 1);
        JsonDocument.Parse(lines[0]).RootElement.GetProperty("shadowStatus").GetInt32().ShouldBe(500);
    }

    [Fact]
    public async Task Mirror_ChunkedBody_ProductionAndShadowGetTheSameBytes()
    {
        await using var production = await TestBackend.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            await context.Response.WriteAsync("P:" + await reader.ReadToEndAsync());
        });
        var shadowBodies = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var shadow = await TestBackend.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            shadowBodies.Enqueue(await reader.ReadToEndAsync());
            await context.Response.WriteAsync("S");
        });
        await using var gateway = await GatewayHarness.StartAsync(new GatewayRoutes(0, new("v1", production.Url, "p"), new("v2", shadow.Url, "s")));
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"{{\"row\":{i}}}"));

        // No Content-Length: the body arrives chunked and is copied as the forwarder streams it.
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        content.Headers.ContentType = new("application/json");
        using var response = await gateway.Client.PostAsync("/v1/predict", content, Ct);

        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("P:" + text);
        var lines = await WaitForLinesAsync(gateway.Dir.Combine("mirror.jsonl"), 1);
        var line = JsonDocument.Parse(lines[0]).RootElement;
        line.GetProperty("requestBody").GetString().ShouldBe(text);
        line.GetProperty("productionBody").GetString().ShouldBe("P:" + text);
        shadowBodies.ShouldBe([text]);
    }

    [Fact]
    public async Task Mirror_BodyOverTheMirrorLimit_ForwardedWholeNotMirroredAndCounted()
    {
        await using var production = await TestBackend.StartAsync(async context =>
        {
            var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            await context.Response.WriteAsync(buffer.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        await using var shadow = await TestBackend.ConstantAsync("S");
        await using var gateway = await GatewayHarness.StartAsync(new GatewayRoutes(0, new("v1", production.Url, "p"), new("v2", shadow.Url, "s")));
        var big = new byte[Tollgate.Gateway.Mirroring.MirrorQueue.MaxBodyBytes + 10];

        // Chunked, so the gateway learns the size only while forwarding: production must still get every byte.
        using var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentType = new("application/octet-stream");
        (await (await gateway.Client.PostAsync("/upload", chunked, Ct)).Content.ReadAsStringAsync(Ct)).ShouldBe(big.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var sized = new ByteArrayContent(big);
        (await (await gateway.Client.PostAsync("/upload", sized, Ct)).Content.ReadAsStringAsync(Ct)).ShouldBe(big.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var stats = (await gateway.StateAsync(Ct)).Mirror;
        stats.Skipped.ShouldBe(2);
        stats.Enqueued.ShouldBe(0);
        shadow.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task Metrics_ShadowNeverAnswers_DroppedCopiesCountedInPrometheusText()
    {
        var release = new TaskCompletionSource();
        await using var production = await TestBackend.ConstantAsync("P");
        await using var shadow = await TestBackend.StartAsync(async context => await release.Task.WaitAsync(context.RequestAborted));
        await using var gateway = await GatewayHarness.StartAsync(new GatewayRoutes(0, new("v1", production.Url, "p"), new("v2", shadow.Url, "s"), MirrorQueueCapacity: 2, MirrorConcurrency: 1));

        for (var i = 0; i < 10; i++)
        {
            (await gateway.Client.PostAsync("/v1/predict", new StringContent("{}", Encoding.UTF8, "application/json"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var stats = (await gateway.StateAsync(Ct)).Mirror;
        var metrics = await gateway.Client.GetStringAsync(Gateway.Hosting.GatewayApp.MetricsPath, Ct);
        stats.Dropped.ShouldBeGreaterThanOrEqualTo(7, "one copy in flight and two queued at most; the rest are dropped");
        metrics.ShouldContain($"tollgate_gateway_mirror_dropped_total {stats.Dropped}\n");
        metrics.ShouldContain("# TYPE tollgate_gateway_mirror_enqueued_total counter");
        release.SetResult();
    }

    [Fact]
    public async Task Switch_UnderLoad_NoRequestFails()
    {
        await using var a = await TestBackend.ConstantAsync("A");
        await using var b = await TestBackend.ConstantAsync("B");
        await using var gateway = await GatewayHarness.StartAsync(new GatewayRoutes(0, new("va", a.Url, "a")));
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var loops = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await gateway.Client.GetAsync("/v1/metadata", Ct);
                    var text = await response.Content.ReadAsStringAsync(Ct);
                    if (!response.IsSuccessStatusCode || text is not ("A" or "B"))
                    {
                        Interlocked.Increment(ref failures);
                    }

                    seen.AddOrUpdate(text, 1, (_, n) => n + 1);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, Ct)).ToList();

        for (var i = 0; i < 10; i++)
        {
            await gateway.SwitchAsync(new GatewayRoutes(0, i % 2 == 0 ? new("vb", b.Url, "b") : new("va", a.Url, "a")));
            await Task.Delay(30, Ct);
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops);

        failures.ShouldBe(0, "switching the front door must not fail a single request");
        seen.Keys.ShouldBe(["A", "B"], ignoreOrder: true);
    }

    private static async Task<string[]> WaitForLinesAsync(string path, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (File.Exists(path))
            {
                // Only whole lines: the gateway may be half-way through appending the last one (a torn line).
                var text = await File.ReadAllTextAsync(path, timeout.Token);
                var lines = text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (lines.Length >= count)
                {
                    return lines;
                }
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
