using System.Globalization;
using Tollgate.Core.Stages;
using Tollgate.Data.Contracts;

namespace Tollgate.Data.Checks;

/// <summary>Collects the check results of one dump, applying the contract's severity overrides.</summary>
public sealed class CheckList
{
    private readonly List<CheckResult> results = [];

    public CheckList(DataContract contract, string file)
    {
        Contract = contract;
        File = file;
    }

    public DataContract Contract { get; }

    /// <summary>The dump as messages name it (repo-relative path).</summary>
    public string File { get; }

    public IReadOnlyList<CheckResult> Results => results;

    public Severity SeverityOf(string id, Severity fallback) => Contract.SeverityOverrides.GetValueOrDefault(id, fallback);

    public void Pass(string id, Severity severity, string message, string? column = null, string? observed = null, string? expected = null) =>
        results.Add(new CheckResult(id, SeverityOf(id, severity), CheckStatus.Passed, message, column, observed, expected));

    /// <summary>A failure; <paramref name="message"/> follows "file:line: what, found what. What to do."</summary>
    public void Fail(string id, Severity severity, string message, string? column = null, string? observed = null, string? expected = null) =>
        results.Add(new CheckResult(id, SeverityOf(id, severity), CheckStatus.Failed, message, column, observed, expected));

    public void Skip(string id, Severity severity, string message, string? column = null) =>
        results.Add(new CheckResult(id, SeverityOf(id, severity), CheckStatus.Skipped, message, column));

    public void Add(CheckResult result) => results.Add(result with { Severity = SeverityOf(result.Id, result.Severity) });

    public static string N(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString(Math.Abs(value) >= 1000 ? "0" : "0.####", CultureInfo.InvariantCulture);
}
