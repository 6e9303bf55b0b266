using System.Text;
using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Modeling.Scoring;
using Tollgate.Serving.Requests;
using Tollgate.Serving.Tests.Support;

namespace Tollgate.Serving.Tests.Requests;

public sealed class RowValidatorTests
{
    private readonly RowValidator validator = new(FakeScoringModel.BankSchema, ServerFixture.BankContract, maxBatchRows: 10);

    [Fact]
    public void Parse_ValidRowWithNonFeatureContractColumns_IgnoresThemAndKeepsFeatures()
    {
        var row = BankRows.Valid();
        row["id"] = 17;
        row["duration"] = 300;
        using var parsed = validator.Parse(Encoding.UTF8.GetBytes(row.ToJsonString()));
        parsed.IsValid.ShouldBeTrue(string.Join("; ", parsed.Errors));
        parsed.Rows[0].Numeric.Keys.ShouldNotContain("duration", "a leaking column must never reach the model");
        parsed.Rows[0].Numeric["age"].ShouldBe(35f);
        parsed.Rows[0].Categorical["job"].ShouldBe("technician");
    }

    [Fact]
    public void Parse_SingleRowsAfterDisposedOnes_CarryNothingOver()
    {
        // Single rows are read into buffers reused once a request is disposed: a value left over from an earlier request
        // would hide a missing field or answer with another client's data.
        var first = BankRows.Valid();
        first["age"] = 61;
        first["job"] = "retired";
        using (var parsed = validator.Parse(Encoding.UTF8.GetBytes(first.ToJsonString())))
        {
            parsed.IsValid.ShouldBeTrue(string.Join("; ", parsed.Errors));
        }

        var missingAge = BankRows.Valid();
        missingAge.Remove("age");
        using (var parsed = validator.Parse(Encoding.UTF8.GetBytes(missingAge.ToJsonString())))
        {
            parsed.IsValid.ShouldBeFalse();
            parsed.Errors.ShouldContain(e => e.Field == "age" && e.Message.Contains("missing", StringComparison.Ordinal));
        }

        using var second = validator.Parse(Encoding.UTF8.GetBytes(BankRows.Valid().ToJsonString()));
        using var third = validator.Parse(Encoding.UTF8.GetBytes(first.ToJsonString())); // while second is alive: its own buffer
        second.Rows[0].Numeric["age"].ShouldBe(35f);
        second.Rows[0].Categorical["job"].ShouldBe("technician");
        second.Received[0].GetProperty("age").GetInt32().ShouldBe(35);
        third.Rows[0].Numeric["age"].ShouldBe(61f);
        third.Rows[0].ShouldNotBeSameAs(second.Rows[0]);
    }

    [Fact]
    public void Parse_ValidSingleRow_AllocatesOnlyTheDocument()
    {
        var body = Encoding.UTF8.GetBytes(BankRows.Valid().ToJsonString());
        for (var i = 0; i < 100; i++)
        {
            validator.Parse(body).Dispose(); // warm: pooled buffers exist, methods compiled
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            validator.Parse(body).Dispose();
        }

        var perRequest = (GC.GetAllocatedBytesForCurrentThread() - before) / 100.0;
        // A JsonDocument (~100 bytes); the request, its row, value arrays, lists and error list were ~800 more before reuse.
        perRequest.ShouldBeLessThan(160, "the single-row parse path allocates per request only what it cannot reuse");
    }

    [Fact]
    public void Parse_DomainValue_AnsweredWithTheContractsOwnString()
    {
        var contract = ServerFixture.BankContract;
        using var parsed = new RowValidator(FakeScoringModel.BankSchema, contract, maxBatchRows: 10).Parse(Encoding.UTF8.GetBytes(BankRows.Valid().ToJsonString()));
        parsed.IsValid.ShouldBeTrue(string.Join("; ", parsed.Errors));
        var own = contract.Fields["job"].ValidValues!.Single(v => v == "technician");
        parsed.Rows[0].Categorical["job"].ShouldBeSameAs(own);
    }

    [Fact]
    public void Parse_EscapedNamesAndValues_ReadLikeTheirPlainForms()
    {
        var plain = BankRows.Valid().ToJsonString();
        var escaped = plain
            .Replace("\"job\":\"technician\"", "\"jo\\u0062\":\"t\\u0065chnician\"", StringComparison.Ordinal)
            .Replace("\"age\":", "\"\\u0061ge\":", StringComparison.Ordinal);
        escaped.ShouldNotBe(plain);

        using var parsed = validator.Parse(Encoding.UTF8.GetBytes(escaped));
        using var expected = validator.Parse(Encoding.UTF8.GetBytes(plain));

        parsed.IsValid.ShouldBeTrue(string.Join("; ", parsed.Errors));
        parsed.Rows[0].Numeric.ShouldBe(expected.Rows[0].Numeric, ignoreOrder: true);
        parsed.Rows[0].Categorical.ShouldBe(expected.Rows[0].Categorical, ignoreOrder: true);
        parsed.Rows[0].Categorical["job"].ShouldBe("technician");
    }

    [Fact]
    public void Parse_UnknownAndDuplicateFields_NamedInErrors()
    {
        var text = BankRows.Valid().ToJsonString();
        var body = text[..^1] + ",\"salary\":1,\"age\":40}";

        using var parsed = validator.Parse(Encoding.UTF8.GetBytes(body));

        parsed.StatusCode.ShouldBe(400);
        parsed.Errors.Select(e => e.Field).ShouldBe(["salary", "age"], ignoreOrder: true);
        parsed.Errors.Single(e => e.Field == "age").Message.ShouldContain("more than once");
    }

    [Theory]
    [InlineData("age", "16", "outside the contract's range 17..100")]
    [InlineData("age", "35.5", "expected a whole number")]
    [InlineData("age", "\"35\"", "expected a JSON number")]
    [InlineData("age", "null", "null is not allowed")]
    [InlineData("job", "\"pilot\"", "not in the contract's domain")]
    [InlineData("job", "3", "expected a JSON string")]
    [InlineData("month", "\"MAY\"", "not in the contract's domain")]
    public void Parse_FieldViolatesContract_ReportsField(string field, string json, string message)
    {
        var text = BankRows.Valid().ToJsonString();
        var start = text.IndexOf($"\"{field}\":", StringComparison.Ordinal) + field.Length + 3;
        var end = text.IndexOfAny([',', '}'], start);
        using var parsed = validator.Parse(Encoding.UTF8.GetBytes(text[..start] + json + text[end..]));
        parsed.StatusCode.ShouldBe(400);
        parsed.Errors.ShouldHaveSingleItem().Field.ShouldBe(field);
        parsed.Errors[0].Message.ShouldContain(message);
    }

    [Fact]
    public void Parse_TooManyRows_Returns413()
    {
        var body = "[" + string.Join(',', Enumerable.Repeat(BankRows.Valid().ToJsonString(), 11)) + "]";
        using var parsed = validator.Parse(Encoding.UTF8.GetBytes(body));
        parsed.StatusCode.ShouldBe(413);
    }

    [Fact]
    public void Parse_NestingDeeperThanRows_Returns400()
    {
        using var parsed = validator.Parse(Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100)));
        parsed.StatusCode.ShouldBe(400);
        parsed.Errors[0].Message.ShouldContain("not valid JSON");
    }

    [Fact]
    public void Constructor_FeatureMissingFromContract_ThrowsConfigurationNamingIt()
    {
        var schema = new FeatureSchema(["age", "income"], ["job"]);
        var ex = Should.Throw<ConfigurationException>(() => new RowValidator(schema, ServerFixture.BankContract, 10));
        ex.Message.ShouldContain("'income'");
    }
}
