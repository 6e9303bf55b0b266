using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Tracking.Configuration;
using Tollgate.Tracking.Tests.Fixtures;

namespace Tollgate.Tracking.Tests.Configuration;

public sealed class TrackingOptionsReaderTests
{
    [Fact]
    public void Read_NoTrackingUri_FileStoreUnderRepoRootWithSectionSettings()
    {
        using var fixture = new RunFixture(extraYaml: "tracking:\n  experiment: retrains\n  registeredModel: bank\n  optional: true\n");

        var options = TrackingOptionsReader.Read(fixture.Root, fixture.Spec, _ => null);

        options.IsRemote.ShouldBeFalse();
        options.TrackingUri.ShouldBe(Path.Combine(fixture.Root, "mlruns"));
        options.ExperimentName.ShouldBe("retrains");
        options.RegisteredModelName.ShouldBe("bank");
        options.Optional.ShouldBeTrue();
        options.QueueDirectory.ShouldBe(Path.Combine(fixture.Root, "artifacts", "mlflow-queue"));
    }

    [Fact]
    public void Read_HttpUriAndAuthVariables_RemoteWithCredentialsAndRetries()
    {
        using var fixture = new RunFixture();
        var env = new Dictionary<string, string>
        {
            ["MLFLOW_TRACKING_URI"] = "https://mlflow.internal:5000",
            ["MLFLOW_TRACKING_TOKEN"] = "t0k",
            ["MLFLOW_TRACKING_INSECURE_TLS"] = "true",
            ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "3",
            ["MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"] = "0.5",
        };

        var options = TrackingOptionsReader.Read(fixture.Root, fixture.Spec, env.GetValueOrDefault);

        options.IsRemote.ShouldBeTrue();
        options.Token.ShouldBe("t0k");
        options.InsecureTls.ShouldBeTrue();
        options.MaxRetries.ShouldBe(3);
        options.RetryBaseDelay.ShouldBe(TimeSpan.FromMilliseconds(500));
        options.ExperimentName.ShouldBe("bank-marketing");
        options.Optional.ShouldBeFalse("tracking is required unless model.yaml says otherwise");
    }

    [Fact]
    public void Read_FileUri_AbsoluteFolder()
    {
        using var fixture = new RunFixture();

        var options = TrackingOptionsReader.Read(fixture.Root, fixture.Spec, n => n == "MLFLOW_TRACKING_URI" ? "file:///tmp/elsewhere/mlruns" : null);

        options.TrackingUri.ShouldBe("/tmp/elsewhere/mlruns");
    }

    [Fact]
    public void Read_SeveralMistakes_AllReportedTogether()
    {
        using var fixture = new RunFixture(extraYaml: "tracking:\n  optional: maybe\n  experimnet: x\n");
        var env = new Dictionary<string, string>
        {
            ["MLFLOW_TRACKING_URI"] = "s3://bucket/mlruns",
            ["MLFLOW_TRACKING_USERNAME"] = "ci",
            ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "many",
        };

        var ex = Should.Throw<ConfigurationException>(() => TrackingOptionsReader.Read(fixture.Root, fixture.Spec, env.GetValueOrDefault));

        ex.Errors.Count.ShouldBe(5, string.Join("\n", ex.Errors));
        ex.Errors.ShouldContain(e => e.Contains("'tracking.optional'") && e.Contains("maybe") && e.Contains("model.yaml:"));
        ex.Errors.ShouldContain(e => e.Contains("'tracking.experimnet'") && e.Contains("did you mean 'experiment'"));
        ex.Errors.ShouldContain(e => e.Contains("s3://bucket/mlruns"));
        ex.Errors.ShouldContain(e => e.Contains("MLFLOW_TRACKING_PASSWORD"));
        ex.Errors.ShouldContain(e => e.Contains("MLFLOW_HTTP_REQUEST_MAX_RETRIES='many'"));
    }
}
