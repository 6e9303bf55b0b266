using System.Globalization;
using System.Text.Json;
using Shouldly;
using Tollgate.Core.Stages;
using Tollgate.Data.Checks;
using Tollgate.Data.Tests.Support;

namespace Tollgate.Data.Tests.Stage;

/// <summary>Training–serving skew against a serving log in the documented JSON Lines format.</summary>
public sealed class SkewTests
{
    [Fact]
    public void Run_ServingLogLikeTraining_PassesSkewChecks()
    {
        using var repo = new ExampleRepo(6);
        // Served traffic drawn from the same days as the training data: no skew.
        var log = WriteLog(repo, ExampleRepo.AllDumps().Take(6), mutate: null);

        var result = FaultMatrixTests.Run(repo, log);

        var failed = result.Checks.Where(c => c.Id.StartsWith("skew.", StringComparison.Ordinal) && c.Status == CheckStatus.Failed).ToList();
        failed.ShouldBeEmpty(string.Join("\n", failed.Select(c => c.Message)));
        result.Checks.ShouldContain(c => c.Id == CheckIds.SkewReceived && c.Column == "age" && c.Status == CheckStatus.Passed);
        result.Checks.ShouldContain(c => c.Id == CheckIds.SkewProcessed && c.Column == "job" && c.Status == CheckStatus.Passed);
    }

    [Fact]
    public void Run_ServingLogWithShiftedAgeAndRemappedJob_FailsBothSkewChecks()
    {
        using var repo = new ExampleRepo(6);
        var log = WriteLog(repo, ExampleRepo.AllDumps().Skip(6).Take(3), mutate: (received, processed) =>
        {
            received["age"] = (int.Parse(received["age"], CultureInfo.InvariantCulture) + 25).ToString(CultureInfo.InvariantCulture);
            processed["age"] = received["age"];
            processed["job"] = processed["job"] == "admin." ? "unknown" : processed["job"];
        });

        var result = FaultMatrixTests.Run(repo, log);

        result.Checks.ShouldContain(c => c.Id == CheckIds.SkewReceived && c.Column == "age" && c.Status == CheckStatus.Failed);
        result.Checks.ShouldContain(c => c.Id == CheckIds.SkewProcessed && c.Column == "job" && c.Status == CheckStatus.Failed);
    }

    [Fact]
    public void Run_ServingLogWithGarbageLine_FailsSkewLog()
    {
        using var repo = new ExampleRepo(3);
        var log = WriteLog(repo, ExampleRepo.AllDumps().Skip(3).Take(1), mutate: null);
        File.AppendAllText(log, "this is not json\n");

        var result = FaultMatrixTests.Run(repo, log);

        result.Checks.Single(c => c.Id == CheckIds.SkewLog).Status.ShouldBe(CheckStatus.Failed);
    }

    /// <summary>One serving record per dump row: received = the row's features, processed = the same unless mutated.</summary>
    private static string WriteLog(ExampleRepo repo, IEnumerable<string> dumps, Action<Dictionary<string, string>, Dictionary<string, string>>? mutate)
    {
        var path = repo.Combine("serving.jsonl");
        using var writer = new StreamWriter(path);
        string[] features = ["age", "balance", "campaign", "pdays", "previous", "job", "marital", "education", "default", "housing", "loan", "contact", "month", "poutcome"];
        foreach (var dump in dumps)
        {
            foreach (var line in File.ReadLines(dump).Skip(1))
            {
                var fields = line.Split(';');
                var received = features.ToDictionary(f => f, f => fields[DumpEditor.Col(f)].Trim('"'));
                var processed = new Dictionary<string, string>(received);
                mutate?.Invoke(received, processed);
                writer.WriteLine(JsonSerializer.Serialize(new
                {
                    timestamp = "2026-11-27T08:00:00Z",
                    requestId = Guid.NewGuid().ToString("N"),
                    received = received.ToDictionary(p => p.Key, p => Typed(p.Key, p.Value)),
                    processed = processed.ToDictionary(p => p.Key, p => Typed(p.Key, p.Value)),
                    output = new { score = 0.1, label = "no" },
                }));
            }
        }

        return path;
    }

    private static object Typed(string feature, string value) =>
        feature is "age" or "balance" or "campaign" or "pdays" or "previous" ? long.Parse(value, CultureInfo.InvariantCulture) : value;
}
