using Tollgate.Data.Contracts;
using Tollgate.Data.Scanning;

namespace Tollgate.Data.Checks;

/// <summary>
/// The ODCS library metrics: <c>nullValues</c>, <c>missingValues</c>, <c>invalidValues</c>, <c>duplicateValues</c>,
/// <c>rowCount</c>, each compared with its <c>mustBe*</c> operator (count of rows, or <c>unit: percent</c>).
/// </summary>
public static class LibraryRules
{
    public static void Evaluate(CheckList checks, ScanResult scan)
    {
        foreach (var rule in checks.Contract.AllRules.Where(r => r.Type == "library"))
        {
            ColumnScan? column = null;
            if (rule.Column is not null && !scan.Columns.TryGetValue(rule.Column, out column))
            {
                checks.Skip(rule.Id, rule.Severity, $"{checks.File}: rule '{rule.Id}' skipped: column '{rule.Column}' is missing.", rule.Column);
                continue;
            }

            IssueSamples? samples = null;
            double count;
            switch (rule.Metric)
            {
                case "rowCount":
                    count = scan.Rows;
                    break;
                case "nullValues":
                    count = column?.Profile.Nulls ?? scan.Columns.Values.Sum(c => c.Profile.Nulls);
                    samples = column?.Nulls;
                    break;
                case "missingValues":
                    count = column is null ? scan.Columns.Values.Sum(c => c.Profile.Nulls + c.Profile.Missing) : column.Profile.Nulls + column.Profile.Missing;
                    break;
                case "invalidValues":
                    samples = column?.DomainErrors;
                    count = samples?.Count ?? 0;
                    break;
                case "duplicateValues":
                    var columns = DumpScanner.RuleColumns(rule, checks.Contract);
                    var key = scan.Keys.FirstOrDefault(k => k.Set.Id == rule.Id) ?? scan.Keys.FirstOrDefault(k => k.Set.Columns.SequenceEqual(columns));
                    count = key?.Surplus ?? 0;
                    if (key is { Surplus: > 0 } && key.Examples.Count > 0)
                    {
                        samples = new IssueSamples();
                        foreach (var (value, lines) in key.Examples)
                        {
                            samples.Add(lines.Count > 1 ? lines[1] : 0, value);
                        }
                    }

                    break;
                default:
                    continue;
            }

            var percent = rule.Unit == "percent";
            var measured = percent ? (scan.Rows == 0 ? 0 : 100.0 * count / scan.Rows) : count;
            var op = rule.Operator ?? (rule.Metric == "rowCount" ? new RuleOperator("mustBeGreaterThan", 0) : new RuleOperator("mustBe", 0));
            var observed = percent ? $"{CheckList.N(measured)}%" : CheckList.N(measured);
            var expected = op + (percent ? "%" : string.Empty);
            var what = rule.Column is null ? $"table {rule.Metric}" : $"column '{rule.Column}' {rule.Metric}";
            if (op.Holds(measured))
            {
                checks.Pass(rule.Id, rule.Severity, $"{checks.File}: {what} = {observed} ({expected}).", rule.Column, observed, expected);
                continue;
            }

            var where = samples is { First.Count: > 0 } && samples.First[0].Line > 0 ? $"{checks.File}:{samples.First[0].Line}" : checks.File;
            var detail = samples is { Count: > 0 } ? $": {samples.Describe()}" : string.Empty;
            var todo = rule.Metric switch
            {
                "invalidValues" => "map the values to the declared domain upstream, or extend validValues if they are legitimate",
                "rowCount" => "check the upstream delivered the whole dump",
                "duplicateValues" => "de-duplicate upstream",
                _ => "fix the values upstream or relax the rule",
            };
            checks.Fail(rule.Id, rule.Severity,
                $"{where}: rule '{rule.Id}' failed: {what} = {observed}, expected {expected}{detail}. To do: {todo}.",
                rule.Column, observed, expected);
        }
    }
}
