using System.Globalization;
using System.Text;
using Shouldly;
using Tollgate.Core.Stages;
using Tollgate.Data.Checks;
using Tollgate.Data.Stage;
using Tollgate.Data.Tests.Support;
using Tollgate.Testing;

namespace Tollgate.Data.Tests.Stage;

/// <summary>
/// The fault-injection matrix: for every check, the clean bank dump passes it and a corrupted copy fails it with that
/// check's id. History: the first ten real dumps (May 2008); the dump under test is the eleventh.
/// </summary>
public sealed class FaultMatrixTests : IClassFixture<FaultMatrixTests.CleanRun>
{
    private const int HistoryDumps = 10;
    private readonly CleanRun clean;

    public FaultMatrixTests(CleanRun clean)
    {
        this.clean = clean;
    }

    public static TheoryData<string, string> Faults() => new()
    {
        { "ragged-row", CheckIds.Parse },
        { "unbalanced-quote", CheckIds.Parse },
        { "wrong-delimiter", CheckIds.Parse },
        { "latin1", CheckIds.Encoding },
        { "missing-column", CheckIds.ColumnPresent },
        { "extra-column", CheckIds.UnexpectedColumn },
        { "age-not-a-number", CheckIds.Type },
        { "balance-null", CheckIds.Required },
        { "age-150", CheckIds.Range },
        { "marital-Married", "marital-domain" },
        { "job-male", "job-domain" },
        { "duplicate-row", CheckIds.PrimaryKey },
        { "duplicate-row-rule", "id-duplicates" },
        { "header-only", "row-count" },
        { "bytes-changed", CheckIds.Sha256 },
        { "sidecar-missing", CheckIds.Sha256 },
        { "date-day-month-swapped", CheckIds.TimestampFormat },
        { "date-18th-century", CheckIds.TimestampRange },
        { "date-in-the-future", CheckIds.TimestampRange },
        { "date-after-dump-day", CheckIds.TimestampRange },
        { "education-unknown", "education-missing" },
        { "education-unknown-rate", CheckIds.NullRate },
        { "volume-x40", CheckIds.Volume },
        { "balance-in-cents", CheckIds.Stats },
        { "age-plus-30", CheckIds.Drift },
        { "job-all-students", CheckIds.Drift },
        { "housing-copies-label", CheckIds.TargetCorrelation },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Run_CorruptedDump_FailsWithThatCheckIdWhileCleanCopyPasses(string fault, string checkId)
    {
        // Clean: the same dump, untouched, passes the check (and every other one).
        var target = clean.Result.Dumps[^1];
        target.Status.ShouldBe("accepted");
        target.FailedErrors.ShouldNotContain(checkId, $"clean dump {target.File} must pass {checkId}");
        target.FailedWarnings.ShouldNotContain(checkId, $"clean dump {target.File} must pass {checkId}");
        // May 2008 has ~5% positives: too few for the association check on the clean day, which is then skipped, not passed.
        var evaluated = checkId == CheckIds.TargetCorrelation ? new[] { CheckStatus.Passed, CheckStatus.Skipped } : [CheckStatus.Passed];
        clean.Result.Checks.ShouldContain(c => c.Id == checkId && evaluated.Contains(c.Status), $"the clean run must evaluate {checkId}");

        using var repo = new ExampleRepo(HistoryDumps + 1);
        var dump = Directory.EnumerateFiles(repo.Incoming, "*.csv").Order(StringComparer.Ordinal).Last();
        Corrupt(fault, dump);

        var corrupted = Run(repo);

        var outcome = corrupted.Dumps.Single(d => d.File.EndsWith(Path.GetFileName(dump), StringComparison.Ordinal));
        outcome.FailedErrors.Concat(outcome.FailedWarnings).ShouldContain(checkId, $"{fault} must trip {checkId}; failed: {string.Join(", ", outcome.FailedErrors.Concat(outcome.FailedWarnings))}");
        var check = corrupted.Checks.First(c => c.Id == checkId && c.Status == CheckStatus.Failed);
        check.Message.ShouldContain(Path.GetFileName(dump));
        if (check.Severity == Severity.Error)
        {
            corrupted.Outcome.ShouldBe(StageOutcome.Rejected);
            outcome.Status.ShouldBe("quarantined");
            File.Exists(Path.Combine(repo.Quarantine, Path.GetFileName(dump))).ShouldBeTrue("rejected dumps are moved to quarantine, not deleted");
        }
    }

    [Fact]
    public void Run_DurationAsFeature_TripsLeakCheck()
    {
        using var repo = new ExampleRepo(HistoryDumps + 1);
        var spec = Path.Combine(repo.Root, "models", "bank-marketing", "model.yaml");
        var yaml = File.ReadAllText(spec)
            .Replace("numeric: [age, balance, campaign, pdays, previous]", "numeric: [age, balance, campaign, pdays, previous, duration]", StringComparison.Ordinal);
        yaml = string.Join('\n', yaml.Split('\n').Where(l => !l.TrimStart().StartsWith("duration:", StringComparison.Ordinal)));
        File.WriteAllText(spec, yaml);

        var result = Run(repo);

        var leak = result.Checks.Single(c => c.Id == CheckIds.Leak && c.Column == "duration");
        leak.Status.ShouldBe(CheckStatus.Failed);
        leak.Severity.ShouldBe(Severity.Error);
        result.Outcome.ShouldBe(StageOutcome.Rejected);
        result.Checks.Where(c => c.Id == CheckIds.Leak && c.Column != "duration").ShouldAllBe(c => c.Status != CheckStatus.Failed);
        result.Dumps.ShouldAllBe(d => d.Status == "accepted", "a leaking spec is not the dumps' fault: nothing is quarantined");
    }

    [Fact]
    public void Run_AcceptedDumpChangedLater_FailsUnchangedOnRerun()
    {
        using var repo = new ExampleRepo(3);
        Run(repo).Outcome.ShouldBe(StageOutcome.Passed);
        var dump = Directory.EnumerateFiles(repo.Incoming, "*.csv").Order(StringComparer.Ordinal).First();
        DumpEditor.EditRows(dump, (i, f) => f[DumpEditor.Col("age")] = i == 1 ? "99" : f[DumpEditor.Col("age")]);

        var rerun = Run(repo);

        rerun.Checks.ShouldContain(c => c.Id == CheckIds.Unchanged && c.Status == CheckStatus.Failed);
        rerun.Outcome.ShouldBe(StageOutcome.Rejected);
    }

    [Fact]
    public void Run_HmacRuleWithWrongSignature_FailsHmac()
    {
        using var repo = new ExampleRepo(2);
        var contract = File.ReadAllText(repo.ContractPath).Replace(
            "  - id: dump-volume\n",
            "  - id: dump-signature\n    type: custom\n    engine: tollgate\n    implementation:\n      check: hmac\n      keyEnv: TOLLGATE_TEST_HMAC_KEY\n      required: true\n  - id: dump-volume\n",
            StringComparison.Ordinal);
        File.WriteAllText(repo.ContractPath, contract);
        Environment.SetEnvironmentVariable("TOLLGATE_TEST_HMAC_KEY", "s3cret");
        var dumps = Directory.EnumerateFiles(repo.Incoming, "*.csv").Order(StringComparer.Ordinal).ToList();
        using (var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("s3cret")))
        {
            File.WriteAllText(dumps[0] + ".sig", Convert.ToHexStringLower(hmac.ComputeHash(File.ReadAllBytes(dumps[0]))));
        }

        File.WriteAllText(dumps[1] + ".sig", new string('0', 64));

        var result = Run(repo);

        result.Dumps[0].Status.ShouldBe("accepted");
        result.Dumps[1].FailedErrors.ShouldContain(CheckIds.Hmac);
    }

    internal static ValidateDataResult Run(ExampleRepo repo, string? servingLog = null) =>
        ValidateDataStage.Run(
            new ValidateDataOptions
            {
                RepoRoot = repo.Root,
                Spec = repo.Spec,
                RunId = "test",
                OutputDir = repo.Combine("out"),
                HistoryDir = repo.Combine("history"),
                ServingLog = servingLog,
                Workers = 2,
            },
            NullStageLog.Instance);

    private static void Corrupt(string fault, string dump)
    {
        int C(string c) => DumpEditor.Col(c);
        switch (fault)
        {
            case "ragged-row":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 5) { f[C("poutcome")] = string.Empty; } });
                DumpEditor.EditText(dump, t => t.Replace(";;", ";", StringComparison.Ordinal));
                break;
            case "unbalanced-quote":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 7) { f[C("job")] = "\"blue-collar"; } });
                break;
            case "wrong-delimiter":
                DumpEditor.EditText(dump, t => t.Replace(';', ','));
                break;
            case "latin1":
                DumpEditor.EditBytes(dump, b => DumpEditor.Latin1(Encoding.UTF8.GetString(b).Replace("\"management\"", "\"managément\"", StringComparison.Ordinal)));
                break;
            case "missing-column":
                DumpEditor.EditText(dump, t => string.Join('\n', t.Split('\n').Select(l => l.Length == 0 ? l : string.Join(';', l.Split(';').Where((_, i) => i != C("age"))))));
                break;
            case "extra-column":
                DumpEditor.EditText(dump, t => string.Join('\n', t.Split('\n').Select((l, i) => l.Length == 0 ? l : l + (i == 0 ? ";\"campaign_id\"" : ";7"))));
                break;
            case "age-not-a-number":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 3) { f[C("age")] = "n/a"; } });
                break;
            case "balance-null":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 4) { f[C("balance")] = string.Empty; } });
                break;
            case "age-150":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 2) { f[C("age")] = "150"; } });
                break;
            case "marital-Married":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 2) { f[C("marital")] = "\"Married\""; } });
                break;
            case "job-male":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 9) { f[C("job")] = "\"male\""; } });
                break;
            case "duplicate-row":
            case "duplicate-row-rule":
                DumpEditor.EditText(dump, t => t + t.Split('\n')[3] + "\n");
                break;
            case "header-only":
                DumpEditor.EditText(dump, t => t.Split('\n')[0] + "\n");
                break;
            case "bytes-changed":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 2) { f[C("balance")] = "1"; } }, reseal: false);
                break;
            case "sidecar-missing":
                File.Delete(dump + ".sha256");
                break;
            case "date-day-month-swapped":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 6) { f[C("contact_date")] = "\"2008-19-05\""; } });
                break;
            case "date-18th-century":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 6) { f[C("contact_date")] = "\"1789-07-14\""; } });
                break;
            case "date-in-the-future":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 6) { f[C("contact_date")] = "\"2099-01-01\""; } });
                break;
            case "date-after-dump-day":
                DumpEditor.EditRows(dump, (i, f) => { if (i == 6) { f[C("contact_date")] = "\"2008-06-19\""; } });
                break;
            case "education-unknown":
            case "education-unknown-rate":
                DumpEditor.EditRows(dump, (i, f) => { if (i % 2 == 0) { f[C("education")] = "\"unknown\""; } });
                break;
            case "volume-x40":
                DumpEditor.EditText(dump, t =>
                {
                    var lines = t.TrimEnd('\n').Split('\n');
                    var sb = new StringBuilder(lines[0]).Append('\n');
                    var id = 1_000_000;
                    for (var copy = 0; copy < 40; copy++)
                    {
                        foreach (var line in lines.Skip(1))
                        {
                            sb.Append(id++.ToString(CultureInfo.InvariantCulture)).Append(line[line.IndexOf(';')..]).Append('\n');
                        }
                    }

                    return sb.ToString();
                });
                break;
            case "balance-in-cents":
                DumpEditor.EditRows(dump, (_, f) => f[C("balance")] = (long.Parse(f[C("balance")], CultureInfo.InvariantCulture) * 100).ToString(CultureInfo.InvariantCulture));
                break;
            case "age-plus-30":
                DumpEditor.EditRows(dump, (_, f) => f[C("age")] = Math.Min(100, int.Parse(f[C("age")], CultureInfo.InvariantCulture) + 30).ToString(CultureInfo.InvariantCulture));
                break;
            case "job-all-students":
                DumpEditor.EditRows(dump, (_, f) => f[C("job")] = "\"student\"");
                break;
            case "housing-copies-label":
                // Enough positives for the association to be measured, and housing now a copy of the label.
                DumpEditor.EditRows(dump, (i, f) =>
                {
                    f[C("y")] = i % 2 == 0 ? "\"yes\"" : "\"no\"";
                    f[C("housing")] = f[C("y")];
                });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "no such fault");
        }
    }

    /// <summary>The eleven clean dumps, validated once for the whole matrix.</summary>
    public sealed class CleanRun : IDisposable
    {
        private readonly ExampleRepo repo = new(HistoryDumps + 1);

        public CleanRun()
        {
            Result = Run(repo);
        }

        public ValidateDataResult Result { get; }

        public void Dispose() => repo.Dispose();
    }
}
