using Shouldly;
using Tollgate.Core.Stages;
using Tollgate.Tracking.Publishing;
using Tollgate.Tracking.Tests.Fixtures;

namespace Tollgate.Tracking.Tests.Publishing;

public sealed class RunPayloadBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Build_FixtureRun_EverySettingThatShapedTheModelIsAParam()
    {
        using var fixture = new RunFixture();

        var payload = new RunPayloadBuilder(fixture.Root, fixture.Spec, fixture.Run, NullStageLog.Instance).Build(Now);

        var p = payload.Params;
        p["trainer"].ShouldBe("lightgbm");
        p["spec.trainer.hyperparameters.numberOfLeaves"].ShouldBe("31");
        p["trainer.learningRate"].ShouldBe("0.05");
        p["seed"].ShouldBe("42");
        p["features"].ShouldContain("balance");
        p["excluded"].ShouldBe("day,duration,id");
        p["spec.holdout.lastDays"].ShouldBe("120");
        p["threshold"].ShouldBe("0.42");
        p["data.period.start"].ShouldBe("2008-05-05");
        p["data.period.end"].ShouldBe("2010-11-10");
        p["data.rows"].ShouldBe("36");
        p["data.file.2010-11-09.csv.sha256"].ShouldBe(new string('b', 64));
        p["data.file.2010-11-09.csv.rows"].ShouldBe("9");
        p["contract.id"].ShouldBe("bank-marketing");
        p["contract.version"].ShouldBe("1.0.0");
        p["git.commit"].ShouldBe("0123456789abcdef0123456789abcdef01234567");
        p["git.branch"].ShouldBe("main");
        p["tollgate.version"].ShouldBe("0.1.0");
        p["candidate.hyperparameters.numberOfLeaves"].ShouldBe("31");
        p.Values.ShouldAllBe(v => v.Length <= RunPayloadBuilder.MaxParamValueLength);
    }

    [Fact]
    public void Build_FixtureRun_MetricsTagsAndArtifacts()
    {
        using var fixture = new RunFixture();

        var payload = new RunPayloadBuilder(fixture.Root, fixture.Spec, fixture.Run, NullStageLog.Instance).Build(Now);

        payload.Metrics["holdout.auc"].ShouldBe(0.78);
        payload.Metrics["baseline.auc"].ShouldBe(0.5);
        payload.Metrics["gain.auc"].ShouldBe(0.28, 1e-12);
        payload.Metrics["holdout-validate.auc"].ShouldBe(0.78);
        double.IsNaN(payload.Metrics["holdout-validate.logLoss"]).ShouldBeTrue("NaN is kept: MLflow stores it as nan");
        payload.Metrics["validate-data.checks.passed"].ShouldBe(1);
        payload.Tags["tollgate.stage.holdout-validate"].ShouldBe("passed");
        payload.Tags["tollgate.run_id"].ShouldBe(fixture.Run.RunId);
        payload.Tags["mlflow.source.git.commit"].ShouldBe("0123456789abcdef0123456789abcdef01234567");
        payload.Tags["ci.pipeline_id"].ShouldBe("4242");
        payload.Tags["ci.job_url"].ShouldBe("https://gitlab.example/-/jobs/77");
        payload.Threshold.ShouldBe("0.42");
        payload.CandidateDirectory.ShouldBe(fixture.Run.CandidateDir);
        var paths = payload.Artifacts.Select(a => a.ArtifactPath).ToList();
        paths.ShouldContain("model/model.zip");
        paths.ShouldContain("model/candidate.json");
        paths.ShouldContain("config/model.yaml");
        paths.ShouldContain("config/bank-marketing.odcs.yaml");
        paths.ShouldContain("stages/validate-data/report.json");
        paths.ShouldContain("stages/validate-data/report.html");
        paths.ShouldContain("stages/validate-data/profile.json");
        paths.ShouldContain("stages/holdout-validate/predictions-sample.csv");
        paths.ShouldContain("run/run.json");
        paths.ShouldContain("data/data-files.csv");
        payload.Gates.ShouldContain(g => g.Id == "gate.auc.minimum" && g.Metric == "auc" && g.Status == "Passed");
        payload.AnyStageRejected.ShouldBeFalse();
    }

    [Fact]
    public void Build_ManyDataFiles_DigestAndCsvInsteadOfOneParamPerFile()
    {
        using var fixture = new RunFixture();
        fixture.Run.UpdateManifest(m => m with
        {
            DataFiles = [.. Enumerable.Range(0, 400).Select(i => new Core.Runs.DataFileRecord($"data/incoming/bank-marketing/{i:0000}.csv", new string('e', 64), 10, 100))],
        });

        var payload = new RunPayloadBuilder(fixture.Root, fixture.Spec, fixture.Run, NullStageLog.Instance).Build(Now);

        payload.Params.Keys.ShouldNotContain(k => k.StartsWith("data.file.", StringComparison.Ordinal));
        payload.Params["data.files"].ShouldBe("400");
        payload.Params["data.rows"].ShouldBe("4000");
        payload.Params["data.sha256"].Length.ShouldBe(64);
        File.ReadAllLines(payload.Artifacts.Single(a => a.ArtifactPath == "data/data-files.csv").LocalPath).Length.ShouldBe(401);
    }
}
