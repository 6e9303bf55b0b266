using Shouldly;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Data.Checks;
using Tollgate.Data.Stage;
using Tollgate.Testing;

namespace Tollgate.Data.Tests.Stage;

/// <summary>
/// The whole real history (561 daily dumps, May 2008 – Nov 2010, the yes-rate drifting from 5% to 52%) raises no
/// error-severity alarm; warnings are allowed where the data really drifts. A rerun learns nothing twice.
/// </summary>
public sealed class WholeHistoryTests : IDisposable
{
    private readonly TempDir dir = new("whole-history");

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Run_EveryCleanDumpOfTheExample_NoErrorAndRerunReusesHistory()
    {
        var spec = ModelSpecLoader.LoadByName(TestRepo.Root, "bank-marketing");
        var options = new ValidateDataOptions
        {
            RepoRoot = TestRepo.Root,
            Spec = spec,
            RunId = "whole-history",
            OutputDir = dir.Combine("out1"),
            HistoryDir = dir.Combine("history"),
            Quarantine = false, // the real incoming folder: never move anything out of the repository from a test
        };

        var first = ValidateDataStage.Run(options, NullStageLog.Instance, TestContext.Current.CancellationToken);

        first.Checks.Where(c => c.IsBlocking).ShouldBeEmpty("clean dumps must not raise error-severity alarms");
        first.Outcome.ShouldBe(StageOutcome.Passed);
        first.Dumps.Count.ShouldBe(561);
        first.Dumps.ShouldAllBe(d => d.Status == "accepted");
        first.Accepted.TotalRows.ShouldBe(45_211);
        first.Accepted.FirstTimestamp.ShouldBe("2008-05-05");
        first.Accepted.LastTimestamp.ShouldBe("2010-11-17");
        first.Checks.ShouldContain(c => c.Id == CheckIds.Drift && c.Column == "y" && c.Status == CheckStatus.Failed,
            "the real yes-rate drift (5% → 52%) is reported as a warning");
        first.Checks.Where(c => c.Id == CheckIds.Leak).ShouldAllBe(c => c.Status == CheckStatus.Passed, "the spec excludes duration");

        var second = ValidateDataStage.Run(options with { OutputDir = dir.Combine("out2"), RunId = "rerun" }, NullStageLog.Instance, TestContext.Current.CancellationToken);

        second.Outcome.ShouldBe(StageOutcome.Passed);
        second.Dumps.ShouldAllBe(d => d.Status == "known", "accepted dumps are not re-learned");
        second.Accepted.Files.ShouldBe(first.Accepted.Files);
        var index = Core.IO.TollgateJson.ReadFile<Data.History.HistoryIndex>(dir.Combine("history", "index.json"));
        index.Entries.Count.ShouldBe(561);
        index.Entries.ShouldAllBe(e => e.RunId == "whole-history");
    }
}
