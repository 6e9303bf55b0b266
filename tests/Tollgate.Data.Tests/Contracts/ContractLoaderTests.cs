using System.Text.Json;
using Json.Schema;
using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Data.Contracts;
using Tollgate.Testing;

namespace Tollgate.Data.Tests.Contracts;

public sealed class ContractLoaderTests
{
    // Built once: JSON Schema.Net registers a schema's URI globally and refuses to register it twice.
    private static readonly Lazy<JsonSchema> SharedSchema = new(() => JsonSchema.FromFile(TestRepo.Shared("schemas", "odcs-json-schema-v3.1.0.json")));

    public static TheoryData<string> RepoContracts()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(TestRepo.PathOf("data-contracts"), "*.odcs.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RepoContracts))]
    public void RepoContract_AgainstSharedOdcsSchema_IsValid(string file)
    {
        // The shared copy of the ODCS v3.1.0 schema, not the embedded one: the test would catch a stale embedded copy.
        var schema = SharedSchema.Value;
        var (json, _) = YamlJson.Convert(File.ReadAllText(TestRepo.PathOf("data-contracts", file)), file);
        using var doc = JsonDocument.Parse(json!.ToJsonString());

        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        result.IsValid.ShouldBeTrue($"{file} must be valid ODCS v3.1.0: " +
            string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(5).Select(d => $"{d.InstanceLocation}: {string.Join(",", d.Errors!.Values)}")));
    }

    [Fact]
    public void Load_BankContract_ReadsColumnsRulesAndFormat()
    {
        var contract = ContractLoader.Load(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"));

        contract.Columns.Count.ShouldBe(19);
        contract.Format.Delimiter.ShouldBe(';');
        contract.PrimaryKey.ShouldBe(["id"]);
        contract.Column("job")!.ValidValues!.ShouldContain("blue-collar");
        contract.Column("age")!.Maximum.ShouldBe(100);
        contract.Column("contact_date")!.MinimumDate.ShouldBe(new DateOnly(2008, 1, 1));
        contract.Settings(CustomCheck.Leak, "duration")!.Number("maxAuc", 0).ShouldBe(0.75);
    }

    [Fact]
    public void Parse_WrongLogicalType_ThrowsWithLineAndSchemaPath()
    {
        var yaml = File.ReadAllText(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"))
            .Replace("  - name: age\n    logicalType: integer", "  - name: age\n    logicalType: whole-number", StringComparison.Ordinal);

        var ex = Should.Throw<ConfigurationException>(() => ContractLoader.Parse(yaml, "broken.odcs.yaml"));

        ex.ExitCode.ShouldBe(ExitCode.Configuration);
        ex.Message.ShouldContain("broken.odcs.yaml:");
        ex.Message.ShouldContain("/schema/0/properties/1/logicalType");
        ex.Message.ShouldContain("schema path");
    }

    [Fact]
    public void Parse_MissingRequiredTopLevelKey_ThrowsNamingIt()
    {
        var yaml = File.ReadAllText(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"))
            .Replace("apiVersion: v3.1.0\n", string.Empty, StringComparison.Ordinal);

        var ex = Should.Throw<ConfigurationException>(() => ContractLoader.Parse(yaml, "c.odcs.yaml"));

        ex.Message.ShouldContain("apiVersion");
    }

    [Fact]
    public void Parse_UnknownTollgateCheck_ThrowsListingKnownChecks()
    {
        var yaml = File.ReadAllText(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"))
            .Replace("check: volume", "check: volumes", StringComparison.Ordinal);

        var ex = Should.Throw<ConfigurationException>(() => ContractLoader.Parse(yaml, "c.odcs.yaml"));

        ex.Message.ShouldContain("'volumes' is unknown");
    }
}
