using Shouldly;
using Tollgate.Cli;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Testing;

namespace Tollgate.Cli.Tests.Verbs;

public sealed class ValidateDataVerbTests : IDisposable
{
    private readonly TempDir repo = new("validate-data-cli");

    public ValidateDataVerbTests()
    {
        Directory.CreateDirectory(repo.Combine("models", "bank-marketing"));
        Directory.CreateDirectory(repo.Combine("data-contracts"));
        Directory.CreateDirectory(repo.Combine("data", "incoming", "bank-marketing"));
        File.Copy(TestRepo.PathOf("models", "bank-marketing", "model.yaml"), repo.Combine("models", "bank-marketing", "model.yaml"));
        File.Copy(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"), repo.Combine("data-contracts", "bank-marketing.odcs.yaml"));
        foreach (var f in Directory.EnumerateFiles(TestRepo.PathOf("data", "incoming", "bank-marketing"), "*.csv").Order(StringComparer.Ordinal).Take(5))
        {
            File.Copy(f, repo.Combine("data", "incoming", "bank-marketing", Path.GetFileName(f)));
            File.Copy(f + ".sha256", repo.Combine("data", "incoming", "bank-marketing", Path.GetFileName(f) + ".sha256"));
        }
    }

    public void Dispose() => repo.Dispose();

    [Fact]
    public async Task ValidateData_CleanDumps_ExitsZeroAndWritesAcceptedManifest()
    {
        var (code, output, error) = await Run();

        code.ShouldBe(0, $"stdout: {output}\nstderr: {error}");
        var run = Path.Combine(repo.Path, "artifacts", "runs", File.ReadAllText(repo.Combine("artifacts", "runs", "latest")).Trim());
        var manifest = TollgateJson.ReadFile<DataManifest>(Path.Combine(run, "validate-data", "accepted.json"));
        manifest.Files.Count.ShouldBe(5);
        manifest.Delimiter.ShouldBe(';');
        manifest.Files[0].Path.ShouldBe("data/incoming/bank-marketing/2008-05-05.csv");
        manifest.Files[0].FirstTimestamp.ShouldBe("2008-05-05");
        var runJson = TollgateJson.ReadFile<RunManifest>(Path.Combine(run, "run.json"));
        runJson.DataFiles.Count.ShouldBe(5);
        runJson.DataPeriodStart.ShouldBe("2008-05-05");
        File.Exists(Path.Combine(run, "validate-data", "report.json")).ShouldBeTrue();
        File.Exists(Path.Combine(run, "validate-data", "report.html")).ShouldBeTrue();
    }

    [Fact]
    public async Task ValidateData_CorruptedDump_ExitsThreeQuarantinesAndLeadsWithTheError()
    {
        var dump = repo.Combine("data", "incoming", "bank-marketing", "2008-05-07.csv");
        File.WriteAllText(dump, File.ReadAllText(dump).Replace(";\"married\";", ";\"Married\";", StringComparison.Ordinal));
        File.WriteAllText(dump + ".sha256", Sha256.OfFile(dump) + "  2008-05-07.csv\n");

        var (code, _, error) = await Run();

        code.ShouldBe(3);
        error.ShouldStartWith("[validate-data] error marital-domain:");
        error.ShouldContain("'Married'");
        File.Exists(dump).ShouldBeFalse("a rejected dump leaves the incoming folder");
        File.Exists(repo.Combine("data", "quarantine", "bank-marketing", "2008-05-07.csv")).ShouldBeTrue("it is moved, never deleted");
    }

    [Fact]
    public async Task ValidateData_MissingIncomingFolder_ExitsTwo()
    {
        Directory.Delete(repo.Combine("data", "incoming", "bank-marketing"), recursive: true);

        var (code, _, error) = await Run();

        code.ShouldBe(2);
        error.ShouldContain("data/incoming/bank-marketing");
    }

    [Fact]
    public async Task ValidateData_InvalidOdcsContract_ExitsTwoNamingFileAndSchemaPath()
    {
        var contract = repo.Combine("data-contracts", "bank-marketing.odcs.yaml");
        File.WriteAllText(contract, File.ReadAllText(contract).Replace("kind: DataContract", "kind: Contract", StringComparison.Ordinal));

        var (code, _, error) = await Run();

        code.ShouldBe(2);
        error.ShouldContain("data-contracts/bank-marketing.odcs.yaml:");
        error.ShouldContain("/kind");
    }

    private async Task<(int Code, string Output, string Error)> Run(params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(
            ["validate-data", "--model", "bank-marketing", "--repo-root", repo.Path, "--history-dir", repo.Combine("history"), .. extra],
            output,
            error,
            TimeProvider.System);
        return (code, output.ToString(), error.ToString());
    }
}
