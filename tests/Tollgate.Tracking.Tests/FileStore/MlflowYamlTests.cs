using Shouldly;
using Tollgate.Testing;
using Tollgate.Tracking.FileStore;

namespace Tollgate.Tracking.Tests.FileStore;

/// <summary>meta.yaml files are byte-identical to those MLflow's own Python client wrote, given the same values.</summary>
public sealed class MlflowYamlTests
{
    private static string Example(params string[] parts) => TestRepo.Shared(["mlflow", "filestore-example-mlruns", .. parts]);

    [Fact]
    public void Write_ExperimentValues_ByteIdenticalToMlflowsOwn()
    {
        var yaml = MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["name"] = "Default",
            ["experiment_id"] = "0",
            ["artifact_location"] = "/home/ci/project/mlruns/0",
            ["creation_time"] = 1795762620096L,
            ["last_update_time"] = 1795762620096L,
            ["lifecycle_stage"] = "active",
        });

        yaml.ShouldBe(File.ReadAllText(Example("0", "meta.yaml")));
    }

    [Fact]
    public void Write_RunValues_ByteIdenticalToMlflowsOwn()
    {
        var yaml = MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["artifact_uri"] = "mlflow-artifacts:/704522319258456456/bc4a251a3043425aadcf21d5fdc51467/artifacts",
            ["end_time"] = 1795762549379L,
            ["entry_point_name"] = string.Empty,
            ["experiment_id"] = "704522319258456456",
            ["lifecycle_stage"] = "active",
            ["run_id"] = "bc4a251a3043425aadcf21d5fdc51467",
            ["run_name"] = "r1",
            ["source_name"] = string.Empty,
            ["source_type"] = 4,
            ["source_version"] = string.Empty,
            ["start_time"] = 1795762545379L,
            ["status"] = 3,
            ["tags"] = Array.Empty<string>(),
            ["user_id"] = string.Empty,
        });

        yaml.ShouldBe(File.ReadAllText(Example("704522319258456456", "bc4a251a3043425aadcf21d5fdc51467", "meta.yaml")));
    }

    [Fact]
    public void Write_RegisteredModelWithAlias_ByteIdenticalToMlflowsOwn()
    {
        var yaml = MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["aliases"] = new Dictionary<string, string> { ["champion"] = "1" },
            ["creation_timestamp"] = 1795762631516L,
            ["deployment_job_id"] = null,
            ["deployment_job_state"] = null,
            ["description"] = null,
            ["last_updated_timestamp"] = 1795762631520L,
            ["name"] = "fs-model",
        });

        yaml.ShouldBe(File.ReadAllText(Example("models", "fs-model", "meta.yaml")));
    }

    [Fact]
    public void Read_ExampleVersionMeta_NullsAndQuotedStringsKeptApart()
    {
        var meta = MlflowYaml.Read(Example("models", "srv-fs-model", "version-1", "meta.yaml"));

        meta["model_id"].ShouldBe(string.Empty, "'' is an empty string, not null");
        meta["status_message"].ShouldBeNull();
        meta["version"].ShouldBe("1");
    }

    [Theory]
    [InlineData("0", "'0'")]
    [InlineData("", "''")]
    [InlineData("true", "'true'")]
    [InlineData("null", "'null'")]
    [InlineData("1.5", "'1.5'")]
    [InlineData("2010-11-09", "'2010-11-09'")]
    [InlineData("a: b", "'a: b'")]
    [InlineData("it's", "it's")]
    [InlineData("mlflow-artifacts:/1/x", "mlflow-artifacts:/1/x")]
    [InlineData("bank-marketing", "bank-marketing")]
    public void Scalar_Value_QuotedOnlyWhenYamlWouldReadItAsSomethingElse(string value, string expected) =>
        MlflowYaml.Scalar(value).ShouldBe(expected);
}
