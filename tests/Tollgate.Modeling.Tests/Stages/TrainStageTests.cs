using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Stages;
using Tollgate.Modeling.Tests.Fixtures;
using Tollgate.Modeling.Training;

namespace Tollgate.Modeling.Tests.Stages;

public sealed class TrainStageTests
{
    [Fact]
    public void Run_BankExample_SplitsByTimeWithoutOverlap()
    {
        using var fixture = ModelingRun.Create(editSpec: FastSpec.Apply);

        var report = TrainStage.Run(fixture.Context);

        report.Outcome.ShouldBe(StageOutcome.Passed, report.Summary);
        var split = TollgateJson.ReadFile<SplitInfo>(fixture.StagePath(StageName.Train, SplitInfo.FileName));
        split.TrainEnd.ShouldBeLessThan(split.HoldoutStart, "no timestamp may be on both sides of a time split");
        (split.HoldoutEnd - split.HoldoutStart).TotalDays.ShouldBeLessThan(120);
        (split.TrainRows + split.HoldoutRows).ShouldBe(45211);
        File.Exists(fixture.StagePath(StageName.Train, TrainStage.ModelFileName)).ShouldBeTrue();
    }

    [Fact]
    public void Run_DumpChangedAfterValidation_ThrowsNamingTheFile()
    {
        using var fixture = ModelingRun.Create(editSpec: FastSpec.Apply);
        var acceptedPath = fixture.StagePath(StageName.ValidateData, DataManifest.FileName);
        var accepted = TollgateJson.ReadFile<DataManifest>(acceptedPath);
        var tampered = accepted.Files[3] with { Sha256 = new string('0', 64) };
        TollgateJson.WriteFile(acceptedPath, accepted with { Files = [.. accepted.Files.Select((f, i) => i == 3 ? tampered : f)] });

        var ex = Should.Throw<ConfigurationException>(() => TrainStage.Run(fixture.Context));

        ex.Message.ShouldContain(tampered.Path);
        ex.Message.ShouldContain("sha256");
    }

    [Fact]
    public void Run_HoldoutCoversAllData_ThrowsSayingHowManyDaysTheDataSpans()
    {
        using var fixture = ModelingRun.Create(editSpec: y => FastSpec.Apply(y).Replace("lastDays: 120", "lastDays: 5000", StringComparison.Ordinal));

        var ex = Should.Throw<ConfigurationException>(() => TrainStage.Run(fixture.Context));

        ex.ExitCode.ShouldBe(ExitCode.Configuration);
        ex.Message.ShouldContain("the data spans 927 days");
        ex.Message.ShouldContain("holdout");
    }

    [Fact]
    public void Run_HoldoutWithSingleClass_IsRejectedWithClearCheck()
    {
        using var fixture = ModelingRun.Create(editSpec: FastSpec.Apply, editRows: (header, rows) =>
        {
            var y = ModelingRun.Column(header, "y");
            var date = ModelingRun.Column(header, "contact_date");
            foreach (var row in rows.Where(r => string.CompareOrdinal(r[date], "\"2010-07-21\"") >= 0))
            {
                row[y] = "\"no\"";
            }
        });

        var report = TrainStage.Run(fixture.Context);

        report.Outcome.ShouldBe(StageOutcome.Rejected);
        var check = report.Checks.Single(c => c.IsBlocking);
        check.Id.ShouldBe("split.holdout-classes");
        check.Message.ShouldContain("single class");
        File.Exists(fixture.StagePath(StageName.Train, TrainStage.ModelFileName)).ShouldBeFalse("a rejected train writes no model");
    }

    [Fact]
    public void Run_LabelWithThirdValue_IsRejectedNamingTheValues()
    {
        using var fixture = ModelingRun.Create(editSpec: FastSpec.Apply, editRows: (header, rows) =>
        {
            var y = ModelingRun.Column(header, "y");
            for (var i = 100; i < 107; i++)
            {
                rows[i][y] = "\"maybe\"";
            }
        });

        var report = TrainStage.Run(fixture.Context);

        report.Outcome.ShouldBe(StageOutcome.Rejected);
        var check = report.Checks.Single(c => c.IsBlocking);
        check.Id.ShouldBe("data.label-values");
        check.Message.ShouldContain("'maybe' (7)");
    }

    [Fact]
    public void Run_ValidateDataNotPassed_ThrowsNamingTheStage()
    {
        using var fixture = ModelingRun.Create(editSpec: FastSpec.Apply);
        File.Delete(fixture.StagePath(StageName.ValidateData, RunDirectory.ReportFileName));

        var ex = Should.Throw<ConfigurationException>(() => TrainStage.Run(fixture.Context));

        ex.Message.ShouldContain("validate-data");
    }
}
