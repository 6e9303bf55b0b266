using System.Text;
using System.Text.Json;
using Shouldly;
using Tollgate.Serving.Logging;
using Tollgate.Serving.Metrics;
using Tollgate.Serving.Requests;
using Tollgate.Serving.Tests.Support;
using Tollgate.Testing;

namespace Tollgate.Serving.Tests.Logging;

public sealed class ServingLogTests
{
    [Fact]
    public async Task Write_SampledBatch_OneLinePerRowWithReceivedFeaturesAndOutput()
    {
        using var temp = new TempDir();
        var model = new FakeScoringModel();
        var log = new ServingLog(new ServingLogOptions(temp.Path, SampleRate: 1), model.Info, new ServingMetrics(model.Info), TimeProvider.System);
        var row = BankRows.Valid(age: 44);
        row["id"] = 7;
        using var parsed = new RowValidator(model.Schema, ServerFixture.BankContract, 10).Parse(Encoding.UTF8.GetBytes($"[{row.ToJsonString()},{BankRows.Valid().ToJsonString()}]"));
        log.Write("/v1/predict", "req-1", parsed.Received, parsed.Rows, model.Score(parsed.Rows));
        await log.DisposeAsync();

        var lines = File.ReadAllLines(Directory.GetFiles(temp.Path, "serving-*.jsonl").ShouldHaveSingleItem());
        lines.Length.ShouldBe(2);
        using var first = JsonDocument.Parse(lines[0]);
        var r = first.RootElement;
        r.GetProperty("schema").GetString().ShouldBe(ServingLog.Schema);
        r.GetProperty("requestId").GetString().ShouldBe("req-1");
        r.GetProperty("batchIndex").GetInt32().ShouldBe(0);
        r.GetProperty("batchSize").GetInt32().ShouldBe(2);
        r.GetProperty("received").GetProperty("id").GetInt32().ShouldBe(7, "the row as received keeps non-feature columns");
        r.GetProperty("processed").TryGetProperty("id", out _).ShouldBeFalse("processed holds what the model saw");
        r.GetProperty("processed").GetProperty("age").GetDouble().ShouldBe(44);
        r.GetProperty("output").GetProperty("score").GetDouble().ShouldBe(FakeScoringModel.Expected(parsed.Rows[0]), 1e-12);
        r.GetProperty("output").GetProperty("threshold").GetDouble().ShouldBe(0.3);
    }

    [Fact]
    public async Task Write_PastMaxFileBytes_RotatesAndKeepsMaxFiles()
    {
        using var temp = new TempDir();
        var model = new FakeScoringModel();
        var log = new ServingLog(new ServingLogOptions(temp.Path, SampleRate: 1, MaxFileBytes: 300, MaxFiles: 3), model.Info, new ServingMetrics(model.Info), new StepClock());
        using var parsed = new RowValidator(model.Schema, ServerFixture.BankContract, 10).Parse(Encoding.UTF8.GetBytes(BankRows.Valid().ToJsonString()));
        for (var i = 0; i < 10; i++)
        {
            log.Write("/v1/predict", $"req-{i}", parsed.Received, parsed.Rows, model.Score(parsed.Rows));
            await Task.Delay(20, TestContext.Current.CancellationToken); // let the writer drain, so each line lands in its own file
        }

        await log.DisposeAsync();
        var files = Directory.GetFiles(temp.Path, "serving-*.jsonl");
        files.Length.ShouldBe(3);
        files.Select(File.ReadAllLines).ShouldAllBe(lines => lines.All(l => l.StartsWith('{') && l.EndsWith('}')));
    }

    /// <summary>A clock that moves one second per reading, so rotated files get distinct, ordered names.</summary>
    private sealed class StepClock : TimeProvider
    {
        private long ticks = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero).UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref ticks, TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
