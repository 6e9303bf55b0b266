using Tollgate.Core.Stages;
using Tollgate.Data.Contracts;
using Tollgate.Data.Scanning;

namespace Tollgate.Data.Checks;

/// <summary>Per-column checks that need no history: required non-null, type parses, range, pattern, length, keys, dates.</summary>
public static class ColumnChecks
{
    public static void Evaluate(CheckList checks, ScanResult scan, ScanPlan plan)
    {
        var file = checks.File;
        foreach (var column in checks.Contract.Columns)
        {
            if (!scan.Columns.TryGetValue(column.Name, out var c))
            {
                continue; // missing column: schema.column-present already failed
            }

            var name = column.Name;
            if (column.Required)
            {
                Samples(checks, CheckIds.Required, Severity.Error, name, c.Nulls, scan.Rows,
                    $"is required but null (empty) in {c.Nulls.Count} row(s)", "fill the value upstream or mark the column required: false", "0 nulls");
            }

            if (column.LogicalType is not (LogicalType.String or LogicalType.Other))
            {
                var expected = column.IsDate ? $"{column.LogicalType.ToString().ToLowerInvariant()} in format {column.Format}" : column.LogicalType.ToString().ToLowerInvariant();
                Samples(checks, CheckIds.Type, Severity.Error, name, c.TypeErrors, scan.Rows,
                    $"expected {expected}, found unparseable values in {c.TypeErrors.Count} row(s)", "fix the export or the column's logicalType", expected);
            }

            if (column.Minimum is not null || column.Maximum is not null || column.MinimumDate is not null || column.MaximumDate is not null)
            {
                var bounds = column.IsDate
                    ? $"{column.MinimumDate?.ToString("yyyy-MM-dd") ?? "-∞"} .. {column.MaximumDate?.ToString("yyyy-MM-dd") ?? "+∞"}"
                    : $"{CheckList.N(column.Minimum ?? double.NegativeInfinity)} .. {CheckList.N(column.Maximum ?? double.PositiveInfinity)}";
                Samples(checks, CheckIds.Range, Severity.Error, name, c.RangeErrors, scan.Rows,
                    $"{c.RangeErrors.Count} value(s) outside the contract bounds {bounds}", "correct the values upstream, or widen logicalTypeOptions if they are real", bounds);
            }

            if (column.Pattern is not null)
            {
                Samples(checks, CheckIds.Pattern, Severity.Error, name, c.PatternErrors, scan.Rows,
                    $"{c.PatternErrors.Count} value(s) do not match the pattern {column.Pattern}", "fix the values or the pattern", column.Pattern.ToString());
            }

            if (column.MinLength is not null || column.MaxLength is not null)
            {
                Samples(checks, CheckIds.Length, Severity.Error, name, c.LengthErrors, scan.Rows,
                    $"{c.LengthErrors.Count} value(s) outside length {column.MinLength ?? 0}..{column.MaxLength?.ToString() ?? "∞"}", "fix the values or the length bounds", $"length {column.MinLength ?? 0}..{column.MaxLength?.ToString() ?? "∞"}");
            }

            if (name == plan.TimestampColumn && column.IsDate)
            {
                Samples(checks, CheckIds.TimestampFormat, Severity.Error, name, c.DateSwaps, scan.Rows,
                    $"{c.DateSwaps.Count} date(s) read as {ScanPlanSwapped(column.Format!)} (day and month swapped?)", "re-export the dates in " + column.Format, column.Format!);
                var latest = plan.LatestDate?.ToString("yyyy-MM-dd") ?? "today";
                var earliest = (column.MinimumDate is { } m && m > plan.EarliestDate ? m : plan.EarliestDate).ToString("yyyy-MM-dd");
                var rule = checks.Contract.Settings(CustomCheck.TimestampRange, name);
                Samples(checks, CheckIds.TimestampRange, rule?.Severity ?? Severity.Error, name, c.DateRange, scan.Rows,
                    $"{c.DateRange.Count} date(s) outside {earliest} .. {latest} (ancient, or after the dump's own date)", "check the upstream clock and date format", $"{earliest} .. {latest}");
            }
        }

        foreach (var key in scan.Keys)
        {
            if (key.Set.Id != CheckIds.PrimaryKey && key.Set.Id != CheckIds.Unique)
            {
                continue; // duplicateValues rules report under their own id (LibraryRules)
            }

            var cols = string.Join(", ", key.Set.Columns);
            var label = key.Set.Id == CheckIds.PrimaryKey ? $"primary key ({cols})" : $"unique column {cols}";
            if (key.Surplus > 0)
            {
                var ex = key.Examples.FirstOrDefault();
                var where = ex.Lines is { Count: > 0 } ? $"{file}:{ex.Lines[0]}" : file;
                var detail = ex.Key is null ? string.Empty : $"; e.g. '{ex.Key}' at lines {string.Join(", ", ex.Lines)}";
                checks.Fail(key.Set.Id, Severity.Error,
                    $"{where}: {label} has {key.Surplus} duplicate row(s){detail}. De-duplicate upstream: duplicates blow up joins and double-count training rows.",
                    cols, observed: $"{key.Surplus} duplicates", expected: "unique");
            }
            else
            {
                checks.Pass(key.Set.Id, Severity.Error, $"{file}: {label} unique over {key.Rows} rows.", cols, observed: "0 duplicates", expected: "unique");
            }
        }
    }

    /// <summary>Pass when <paramref name="samples"/> is empty, else fail with the first lines and values.</summary>
    internal static void Samples(
        CheckList checks, string id, Severity severity, string column, IssueSamples samples, long rows, string what, string todo, string expected)
    {
        if (samples.Count == 0)
        {
            checks.Pass(id, severity, $"{checks.File}: column '{column}' ok over {rows} rows.", column, observed: "0 rows", expected: expected);
            return;
        }

        var first = samples.First[0];
        checks.Fail(id, severity,
            $"{checks.File}:{first.Line}: column '{column}' {what}: {samples.Describe()}. To do: {todo}.",
            column, observed: $"{samples.Count} rows", expected: expected);
    }

    private static string ScanPlanSwapped(string format) => ColumnState.SwapDayMonth(format) ?? "a swapped format";
}
