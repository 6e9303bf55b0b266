using Tollgate.Core.Stages;
using Tollgate.Data.Scanning;

namespace Tollgate.Data.Checks;

/// <summary>The file as a whole: parses in the declared format, valid encoding, expected columns present.</summary>
public static class FileChecks
{
    public static void Evaluate(CheckList checks, ScanResult scan)
    {
        var file = checks.File;
        var format = checks.Contract.Format;
        if (scan.Fatal is not null)
        {
            checks.Fail(CheckIds.Parse, Severity.Error, $"{file}: {scan.Fatal}. Ask the upstream to re-deliver the dump.", observed: scan.Fatal, expected: $"{format.Type} with a header line");
            return;
        }

        var problems = new List<string>();
        if (scan.DelimiterHint is not null)
        {
            problems.Add(scan.DelimiterHint);
        }

        if (scan.Ragged.Count > 0)
        {
            problems.Add($"{scan.Ragged.Count} malformed row(s): {scan.Ragged.Describe()}");
        }

        if (scan.LongRecords.Count > 0)
        {
            problems.Add($"{scan.LongRecords.Count} over-long record(s): {scan.LongRecords.Describe()}");
        }

        if (scan.DuplicateHeaderColumns.Count > 0)
        {
            problems.Add($"header names {string.Join(", ", scan.DuplicateHeaderColumns.Select(c => $"'{c}'"))} more than once");
        }

        if (problems.Count > 0)
        {
            var first = scan.Ragged.First.Concat(scan.LongRecords.First).OrderBy(s => s.Line).FirstOrDefault();
            var where = first is null ? file : $"{file}:{first.Line}";
            checks.Fail(
                CheckIds.Parse,
                Severity.Error,
                $"{where}: does not parse as {Describe(format)}: {string.Join("; ", problems)}. Fix the export (quoting, delimiter, truncated upload) and re-deliver.",
                observed: string.Join("; ", problems),
                expected: Describe(format));
        }
        else
        {
            checks.Pass(CheckIds.Parse, Severity.Error, $"{file}: {scan.Rows} rows parse as {Describe(format)}.", observed: $"{scan.Rows} rows", expected: Describe(format));
        }

        if (scan.InvalidUtf8Offset is { } offset && format.IsUtf8)
        {
            checks.Fail(
                CheckIds.Encoding,
                Severity.Error,
                $"{file}:{scan.InvalidUtf8Line}: invalid UTF-8 at byte offset {offset} (Latin-1 or binary data?). Re-export as UTF-8, or declare encoding: iso-8859-1 in the contract's tollgate.format.",
                observed: $"invalid byte sequence at offset {offset}",
                expected: "utf-8");
        }
        else
        {
            checks.Pass(CheckIds.Encoding, Severity.Error, $"{file}: valid {format.Encoding}{(scan.HadBom ? " (BOM accepted)" : string.Empty)}.", expected: format.Encoding);
        }

        foreach (var column in checks.Contract.Columns)
        {
            if (scan.MissingColumns.Contains(column.Name))
            {
                checks.Fail(
                    CheckIds.ColumnPresent,
                    Severity.Error,
                    $"{file}:1: column '{column.Name}' is missing from the header{(scan.DelimiterHint is null ? string.Empty : " (" + scan.DelimiterHint + ")")}. The contract requires it; fix the export or the contract.",
                    column.Name,
                    observed: "absent",
                    expected: "present");
            }
            else
            {
                checks.Pass(CheckIds.ColumnPresent, Severity.Error, $"{file}: column '{column.Name}' present.", column.Name);
            }
        }

        if (scan.UnexpectedColumns.Count > 0)
        {
            var shown = string.Join(", ", scan.UnexpectedColumns.Take(10).Select(c => $"'{Clip(c)}'"));
            var more = scan.UnexpectedColumns.Count > 10 ? $" (+{scan.UnexpectedColumns.Count - 10} more)" : string.Empty;
            checks.Fail(
                CheckIds.UnexpectedColumn,
                Severity.Warning,
                $"{file}:1: {scan.UnexpectedColumns.Count} column(s) the contract does not declare: {shown}{more}. Add them to the contract or drop them upstream.",
                observed: $"{scan.UnexpectedColumns.Count} undeclared",
                expected: "only declared columns");
        }
        else
        {
            checks.Pass(CheckIds.UnexpectedColumn, Severity.Warning, $"{file}: no undeclared columns.");
        }
    }

    private static string Describe(Contracts.FileFormat f) =>
        f.IsJsonLines ? "JSON Lines" : $"{f.Type.ToUpperInvariant()} with delimiter '{(f.Delimiter == '\t' ? "\\t" : f.Delimiter.ToString())}' and quote '{f.Quote}'";

    private static string Clip(string s) => s.Length > 40 ? s[..37] + "..." : s;
}
