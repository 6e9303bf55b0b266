using System.Text;
using Shouldly;
using Tollgate.Core.Stages;
using Tollgate.Data.Checks;
using Tollgate.Data.Contracts;
using Tollgate.Data.Scanning;
using Tollgate.Data.Tests.Support;
using Tollgate.Testing;

namespace Tollgate.Data.Tests.Scanning;

/// <summary>Bad input gets a clear finding, never a crash; CRLF and quoted delimiters are legal CSV and pass.</summary>
public sealed class DumpScannerBadInputTests : IDisposable
{
    private static readonly DataContract Contract = ContractLoader.Load(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"));
    private readonly TempDir dir = new("scanner");
    private readonly string clean = File.ReadAllText(ExampleRepo.AllDumps()[0]);

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Scan_EmptyFile_ReportsFatalEmpty()
    {
        var scan = Scan(string.Empty);

        scan.Fatal.ShouldNotBeNull().ShouldContain("empty");
        Failed(scan).ShouldContain(CheckIds.Parse);
    }

    [Fact]
    public void Scan_HeaderOnly_FailsRowCountOnly()
    {
        var scan = Scan(clean.Split('\n')[0] + "\n");

        scan.Rows.ShouldBe(0);
        Failed(scan).ShouldBe(["row-count"]);
    }

    [Fact]
    public void Scan_TruncatedLastLine_ReportsRaggedRowWithItsLine()
    {
        var lines = clean.TrimEnd('\n').Split('\n');
        var text = string.Join('\n', lines) [..^40];

        var scan = Scan(text);

        scan.Ragged.Count.ShouldBe(1);
        scan.Ragged.First[0].Line.ShouldBe(lines.Length);
        Failed(scan).ShouldContain(CheckIds.Parse);
    }

    [Fact]
    public void Scan_BinaryGarbage_ReportsEncodingAndSchemaWithoutThrowing()
    {
        var bytes = new byte[200_000];
        new Random(7).NextBytes(bytes);

        var scan = ScanBytes(bytes);

        var failed = Failed(scan);
        failed.ShouldContain(CheckIds.Encoding);
        failed.ShouldContain(CheckIds.ColumnPresent);
    }

    [Fact]
    public void Scan_Latin1Text_ReportsByteOffsetOfFirstBadSequence()
    {
        var text = clean.Replace("\"management\"", "\"managément\"", StringComparison.Ordinal);
        var bytes = Encoding.Latin1.GetBytes(text);

        var scan = ScanBytes(bytes);

        scan.InvalidUtf8Offset.ShouldBe(Encoding.Latin1.GetBytes(text[..text.IndexOf('é', StringComparison.Ordinal)]).Length);
        scan.InvalidUtf8Line.ShouldBe(2);
        Failed(scan).ShouldContain(CheckIds.Encoding);
    }

    [Fact]
    public void Scan_TenThousandColumns_ReportsUnexpectedAndMissingColumns()
    {
        var header = string.Join(';', Enumerable.Range(0, 10_000).Select(i => $"\"c{i}\""));
        var row = string.Join(';', Enumerable.Range(0, 10_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var scan = Scan(header + "\n" + row + "\n" + row + "\n");

        scan.UnexpectedColumns.Count.ShouldBe(10_000);
        scan.Rows.ShouldBe(2);
        var checks = Checks(scan);
        checks.Single(c => c.Id == CheckIds.UnexpectedColumn).Message.ShouldContain("+9990 more");
        checks.Where(c => c.Id == CheckIds.ColumnPresent).ShouldAllBe(c => c.Status == CheckStatus.Failed);
    }

    [Fact]
    public void Scan_LineLongerThanRecordLimit_IsSkippedAndReported()
    {
        var lines = clean.Split('\n');
        var huge = new string('x', 3 << 20);
        var text = lines[0] + "\n" + lines[1] + "\n" + huge + "\n" + string.Join('\n', lines.Skip(2));

        var scan = Scan(text, plan => plan with { BlockBytes = 1 << 16, MaxRecordBytes = 1 << 20 });

        scan.LongRecords.Count.ShouldBe(1);
        scan.LongRecords.First[0].Line.ShouldBe(3);
        scan.Rows.ShouldBe(lines.Length - 2);
        Failed(scan).ShouldContain(CheckIds.Parse);
    }

    [Fact]
    public void Scan_CrlfLineEndings_Pass()
    {
        var scan = Scan(clean.Replace("\n", "\r\n", StringComparison.Ordinal));

        scan.Rows.ShouldBe(clean.Count(c => c == '\n') - 1);
        Failed(scan).ShouldBeEmpty();
        scan.Columns["contact_date"].Profile.MaxDate.ShouldBe("2008-05-05");
    }

    [Fact]
    public void Scan_QuotedDelimitersAndEscapedQuotes_Pass()
    {
        var text = clean.Replace("\"management\"", "\"management; \"\"senior\"\"\"", StringComparison.Ordinal);
        var contract = Contract with
        {
            Columns = Contract.Columns.Select(c => c.Name == "job" ? c with { ValidValues = null } : c).ToList(),
        };

        var scan = Scan(text, contract: contract);

        Failed(scan, contract).ShouldBeEmpty();
        scan.Columns["job"].Profile.Categories!.Keys.ShouldContain("management; \"senior\"");
    }

    [Fact]
    public void Scan_SmallBlocksOnManyWorkers_MatchesSingleThreadedScan()
    {
        var text = string.Concat(ExampleRepo.AllDumps().Take(6).Select((f, i) => i == 0 ? File.ReadAllText(f) : string.Join('\n', File.ReadAllText(f).Split('\n').Skip(1))));

        var one = Scan(text, p => p with { Workers = 1, LatestDate = new DateOnly(2008, 6, 1) });
        var many = Scan(text, p => p with { Workers = 4, BlockBytes = 4096, LatestDate = new DateOnly(2008, 6, 1) });

        many.Rows.ShouldBe(one.Rows);
        many.Sha256.ShouldBe(one.Sha256);
        many.Columns["age"].Profile.Sum.ShouldBe(one.Columns["age"].Profile.Sum);
        many.Columns["job"].Profile.Categories!["admin."].ShouldBe(one.Columns["job"].Profile.Categories!["admin."]);
        many.Keys[0].Surplus.ShouldBe(0);
        Failed(many).ShouldBeEmpty();
    }

    private ScanResult Scan(string text, Func<ScanPlan, ScanPlan>? change = null, DataContract? contract = null) =>
        ScanBytes(Encoding.UTF8.GetBytes(text), change, contract);

    private ScanResult ScanBytes(byte[] bytes, Func<ScanPlan, ScanPlan>? change = null, DataContract? contract = null)
    {
        var path = dir.Combine($"{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, bytes);
        var plan = Plan(contract ?? Contract);
        return DumpScanner.Scan(path, change?.Invoke(plan) ?? plan);
    }

    private static ScanPlan Plan(DataContract contract) => new()
    {
        Contract = contract,
        LabelColumn = "y",
        PositiveClass = "yes",
        KeyColumns = ["id"],
        TimestampColumn = "contact_date",
        LatestDate = new DateOnly(2008, 5, 6),
        Workers = 2,
        CategoricalColumns = new HashSet<string>(["job", "marital", "y"], StringComparer.Ordinal),
    };

    private static List<CheckResult> Checks(ScanResult scan, DataContract? contract = null)
    {
        var c = contract ?? Contract;
        var list = new CheckList(c, "dump.csv");
        FileChecks.Evaluate(list, scan);
        if (scan.Fatal is null)
        {
            ColumnChecks.Evaluate(list, scan, Plan(c));
            LibraryRules.Evaluate(list, scan);
        }

        return [.. list.Results];
    }

    private static List<string> Failed(ScanResult scan, DataContract? contract = null) =>
        Checks(scan, contract).Where(c => c.Status == CheckStatus.Failed && c.Severity == Severity.Error).Select(c => c.Id).Distinct().ToList();
}
