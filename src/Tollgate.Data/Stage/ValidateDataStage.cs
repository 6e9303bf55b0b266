using System.Globalization;
using System.Text.RegularExpressions;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Data.Checks;
using Tollgate.Data.Contracts;
using Tollgate.Data.History;
using Tollgate.Data.Profiles;
using Tollgate.Data.Scanning;

namespace Tollgate.Data.Stage;

/// <summary>
/// Validate-Data: every dump in the incoming folder is checked against the ODCS contract and against the profiles of the
/// dumps accepted before it. A dump with an error-severity failure is quarantined (moved, never deleted) and its profile
/// never enters the history; accepted dumps are listed in <c>accepted.json</c> for Train. Dumps an earlier run accepted
/// (same bytes, same contract) are not re-learned: they are verified by digest and reused.
/// </summary>
public static partial class ValidateDataStage
{
    public const string ProfileFileName = "profile.json";
    public const string DumpsFileName = "dumps.json";
    public const string HtmlFileName = "report.html";

    public static ValidateDataResult Run(ValidateDataOptions options, IStageLog log, CancellationToken cancellationToken = default)
    {
        var spec = options.Spec;
        var contract = ContractLoader.Load(Path.Combine(options.RepoRoot, spec.ContractPath), spec.ContractPath);
        CheckSpecAgainstContract(options, contract);
        var incoming = Path.Combine(options.RepoRoot, spec.IncomingPath);
        if (!Directory.Exists(incoming))
        {
            throw new ConfigurationException(
                $"{spec.SpecPath}: data.incoming folder '{spec.IncomingPath}' does not exist. Create it and drop dumps there (for the example: tollgate prepare-example).");
        }

        var files = Directory.EnumerateFiles(incoming, contract.Format.Extension).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new ConfigurationException(
                $"{spec.IncomingPath}: no dumps matching '{contract.Format.Extension}'. Deliver at least one dump, or fix tollgate.format.files in {spec.ContractPath}.");
        }

        var hmacKey = IntegrityChecks.KeyFor(contract);
        var history = ProfileHistory.Open(options.ResolvedHistoryDir, spec.Name);
        var today = DateOnly.FromDateTime(options.Time.GetUtcNow().UtcDateTime);
        log.Info($"{files.Count} dump(s) in {spec.IncomingPath}; contract {spec.ContractPath} v{contract.Version}; history {Rel(options.RepoRoot, history.Root)} ({history.Entries.Count} accepted before)");

        // 1. Which dumps are new? Known ones are verified by digest only.
        var known = new List<(string Path, HistoryEntry Entry, string Sha)>();
        var fresh = new List<string>();
        foreach (var f in files)
        {
            var entry = history.Find(Path.GetFileName(f));
            if (entry is not null && entry.ContractSha256 == contract.Sha256)
            {
                known.Add((f, entry, Sha256.OfFile(f)));
            }
            else
            {
                fresh.Add(f);
            }
        }

        // 2. Scan new dumps: small ones in parallel, one thread each; large ones one at a time on every core.
        var scans = new ScanResult[fresh.Count];
        var plans = fresh.Select(f => PlanFor(options, contract, f, hmacKey, today)).ToArray();
        var done = 0;
        Parallel.For(
            0,
            fresh.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Workers), CancellationToken = cancellationToken },
            i =>
            {
                if (new FileInfo(fresh[i]).Length <= plans[i].BlockBytes)
                {
                    scans[i] = DumpScanner.Scan(fresh[i], plans[i] with { Workers = 1 }, cancellationToken);
                    log.Progress("scan", Interlocked.Increment(ref done) / (double)fresh.Count);
                }
            });
        for (var i = 0; i < fresh.Count; i++)
        {
            if (scans[i] is null)
            {
                log.Info($"scanning {Rel(options.RepoRoot, fresh[i])} ({new FileInfo(fresh[i]).Length / 1e6:0.#} MB) on {options.Workers} workers");
                scans[i] = DumpScanner.Scan(fresh[i], plans[i], cancellationToken);
                log.Progress("scan", Interlocked.Increment(ref done) / (double)fresh.Count);
            }
        }

        // 3. Judge every dump in date (file-name) order against the history accepted before it.
        var perDump = new List<(string File, IReadOnlyList<CheckResult> Checks)>();
        var outcomes = new List<DumpOutcome>();
        var accepted = new List<DataFileRecord>();
        var newlyAccepted = new List<DumpProfile>();
        var freshIndex = fresh.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
        var knownIndex = known.ToDictionary(k => k.Path, k => k, StringComparer.Ordinal);
        var scanned = new Dictionary<string, DumpProfile>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rel = Rel(options.RepoRoot, f);
            var name = Path.GetFileName(f);
            if (knownIndex.TryGetValue(f, out var k))
            {
                var checks = new CheckList(contract, rel);
                if (k.Sha == k.Entry.Sha256)
                {
                    checks.Pass(CheckIds.Unchanged, Severity.Error, $"{rel}: unchanged since run {k.Entry.RunId} accepted it.", observed: k.Sha, expected: k.Entry.Sha256);
                    accepted.Add(new DataFileRecord(rel, k.Sha, k.Entry.Rows, k.Entry.Bytes, k.Entry.FirstTimestamp, k.Entry.LastTimestamp));
                    outcomes.Add(new DumpOutcome(rel, "known", k.Entry.Rows, [], []));
                }
                else
                {
                    checks.Fail(CheckIds.Unchanged, Severity.Error,
                        $"{rel}: changed after run {k.Entry.RunId} accepted it (SHA-256 {k.Sha[..12]}…, was {k.Entry.Sha256[..12]}…). Accepted dumps are immutable: deliver corrections as a new dump.",
                        observed: k.Sha, expected: k.Entry.Sha256);
                    var to = options.Quarantine ? QuarantineDump(options, f, checks.Results) : null;
                    history.Remove(name);
                    outcomes.Add(new DumpOutcome(rel, "quarantined", k.Entry.Rows, [CheckIds.Unchanged], [], to));
                }

                perDump.Add((rel, checks.Results));
                continue;
            }

            var scan = scans[freshIndex[f]];
            var plan = plans[freshIndex[f]];
            var list = new CheckList(contract, rel);
            IntegrityChecks.Evaluate(list, f, scan);
            FileChecks.Evaluate(list, scan);
            ColumnChecks.Evaluate(list, scan, plan);
            LibraryRules.Evaluate(list, scan);
            var profile = ToProfile(name, scan, contract, spec.TimestampColumn);
            HistoryChecks.Evaluate(list, scan, profile, history, spec);
            scanned[rel] = profile;
            perDump.Add((rel, list.Results));
            var errors = list.Results.Where(c => c.IsBlocking).Select(c => c.Id).Distinct().ToList();
            var warnings = list.Results.Where(c => c.Status == CheckStatus.Failed && c.Severity != Severity.Error).Select(c => c.Id).Distinct().ToList();
            if (errors.Count == 0)
            {
                history.Add(new HistoryEntry(name, scan.Sha256, contract.Sha256, scan.Rows, scan.Bytes, profile.FirstTimestamp, profile.LastTimestamp, options.Time.GetUtcNow(), options.RunId), profile);
                newlyAccepted.Add(profile);
                accepted.Add(new DataFileRecord(rel, scan.Sha256, scan.Rows, scan.Bytes, profile.FirstTimestamp, profile.LastTimestamp));
                outcomes.Add(new DumpOutcome(rel, "accepted", scan.Rows, [], warnings));
            }
            else
            {
                var to = options.Quarantine ? QuarantineDump(options, f, list.Results) : null;
                outcomes.Add(new DumpOutcome(rel, "quarantined", scan.Rows, errors, warnings, to));
                log.Warning($"{rel} rejected ({string.Join(", ", errors)}){(to is null ? string.Empty : " → " + Rel(options.RepoRoot, to))}");
            }
        }

        history.Save();

        // 4. Run-level checks on everything accepted (the training data of this run).
        var pooled = accepted.Count == 0 ? null : ProfileMerger.Merge("accepted", history.All().Where(p => accepted.Any(a => a.Sha256 == p.Sha256)).ToList());
        var runChecks = new CheckList(contract, spec.IncomingPath);
        if (pooled is not null)
        {
            LeakChecks.Evaluate(runChecks, pooled, spec);
        }

        if (options.ServingLog is not null)
        {
            if (pooled is null)
            {
                runChecks.Skip(CheckIds.SkewLog, Severity.Warning, "no accepted data to compare the serving log with.");
            }
            else
            {
                Skew.SkewChecks.Evaluate(runChecks, pooled, Path.GetFullPath(options.ServingLog, options.RepoRoot), spec, contract);
            }
        }

        perDump.Add((spec.IncomingPath, runChecks.Results));
        if (accepted.Count == 0)
        {
            var none = new CheckResult(CheckIds.RowCount, Severity.Error, CheckStatus.Failed,
                $"{spec.IncomingPath}: no dump was accepted ({outcomes.Count} rejected); there is nothing to train on. Fix the dumps named above.",
                Observed: "0 accepted dumps", Expected: "at least one");
            perDump.Add((spec.IncomingPath, [none]));
        }

        var aggregated = CheckAggregator.Aggregate(perDump);
        var outcome = StageReport.OutcomeOf(aggregated);
        var manifest = new DataManifest
        {
            Model = spec.Name,
            Contract = spec.ContractPath,
            Files = accepted,
            Delimiter = contract.Format.Delimiter,
        };
        var quarantined = outcomes.Count(o => o.Status == "quarantined");
        var rows = accepted.Sum(a => a.Rows);
        var summary = outcome == StageOutcome.Passed
            ? $"{accepted.Count} dump(s) accepted ({rows:N0} rows, {manifest.FirstTimestamp} … {manifest.LastTimestamp}); {newlyAccepted.Count} new, {known.Count} known"
            : $"{aggregated.Count(c => c.IsBlocking)} blocking check(s) failed; {quarantined} dump(s) quarantined, {accepted.Count} accepted";

        Directory.CreateDirectory(options.OutputDir);
        TollgateJson.WriteFile(Path.Combine(options.OutputDir, DataManifest.FileName), manifest);
        TollgateJson.WriteFile(Path.Combine(options.OutputDir, DumpsFileName), outcomes);
        var outputs = new List<string> { DataManifest.FileName, DumpsFileName };
        if (pooled is not null)
        {
            TollgateJson.WriteFile(Path.Combine(options.OutputDir, ProfileFileName), pooled);
            outputs.Add(ProfileFileName);
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["dumps"] = files.Count,
            ["dumps_accepted"] = accepted.Count,
            ["dumps_new"] = newlyAccepted.Count,
            ["dumps_quarantined"] = quarantined,
            ["rows_accepted"] = rows,
            ["bytes_scanned"] = scans.Sum(s => s.Bytes),
            ["checks_failed_error"] = aggregated.Count(c => c.IsBlocking),
            ["checks_failed_warning"] = aggregated.Count(c => c.Status == CheckStatus.Failed && c.Severity != Severity.Error),
        };
        if (pooled is { LabelCount: > 0 })
        {
            metrics["label_positive_rate"] = pooled.LabelPositive / (double)pooled.LabelCount;
        }

        var result = new ValidateDataResult
        {
            Outcome = outcome,
            Summary = summary,
            Checks = aggregated,
            Accepted = manifest,
            Dumps = outcomes,
            Profile = pooled,
            Metrics = metrics,
            Outputs = outputs,
        };
        Reports.ValidateDataHtml.Write(Path.Combine(options.OutputDir, HtmlFileName), result, spec, contract, history, scanned);
        return result with { Outputs = [.. outputs, HtmlFileName] };
    }

    internal static ScanPlan PlanFor(ValidateDataOptions options, DataContract contract, string file, byte[]? hmacKey, DateOnly today)
    {
        var spec = options.Spec;
        var rule = contract.Settings(CustomCheck.TimestampRange, spec.TimestampColumn);
        var lag = (int)(rule?.Number("maxLagDays", 1) ?? 1);
        DateOnly? latest = today;
        var m = DatePrefix().Match(Path.GetFileName(file));
        if (m.Success && DateOnly.TryParseExact(m.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dumpDate))
        {
            latest = dumpDate.AddDays(lag) < today ? dumpDate.AddDays(lag) : today;
        }

        var earliest = rule?.Text("earliest") is { } e && DateOnly.TryParseExact(e, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var ed)
            ? ed
            : new DateOnly(1900, 1, 1);
        var categorical = new HashSet<string>(spec.CategoricalFeatures, StringComparer.Ordinal) { spec.LabelColumn };
        return new ScanPlan
        {
            Contract = contract,
            LabelColumn = spec.LabelColumn,
            PositiveClass = spec.PositiveClass,
            KeyColumns = spec.KeyColumns.Count > 0 ? spec.KeyColumns : contract.PrimaryKey,
            TimestampColumn = spec.TimestampColumn,
            LatestDate = latest,
            EarliestDate = earliest,
            Workers = options.Workers,
            HmacKey = hmacKey,
            CategoricalColumns = categorical,
        };
    }

    internal static DumpProfile ToProfile(string name, ScanResult scan, DataContract contract, string timestampColumn)
    {
        var ts = scan.Columns.GetValueOrDefault(timestampColumn)?.Profile;
        return new DumpProfile
        {
            File = name,
            Sha256 = scan.Sha256,
            Rows = scan.Rows,
            Bytes = scan.Bytes,
            LabelPositive = scan.LabelPositive,
            LabelCount = scan.LabelCount,
            FirstTimestamp = ts?.MinDate,
            LastTimestamp = ts?.MaxDate,
            ContractSha256 = contract.Sha256,
            Columns = scan.Columns.Values.Select(c => c.Profile).Where(p => p.Kind != "other").ToList(),
        };
    }

    private static void CheckSpecAgainstContract(ValidateDataOptions options, DataContract contract)
    {
        var spec = options.Spec;
        var errors = new List<string>();
        void Need(string column, string key)
        {
            if (contract.Column(column) is null)
            {
                errors.Add($"{spec.SpecPath}: {key} names column '{column}', which {spec.ContractPath} does not declare. Add it to the contract or fix model.yaml.");
            }
        }

        Need(spec.LabelColumn, "label.column");
        Need(spec.TimestampColumn, "timestamp.column");
        foreach (var c in spec.KeyColumns)
        {
            Need(c, "key");
        }

        foreach (var c in spec.NumericFeatures)
        {
            Need(c, "features.numeric");
            if (contract.Column(c) is { IsNumeric: false } col)
            {
                errors.Add($"{spec.SpecPath}: features.numeric lists '{c}', but {spec.ContractPath}:{col.Line} declares it logicalType {col.LogicalType.ToString().ToLowerInvariant()}.");
            }
        }

        foreach (var c in spec.CategoricalFeatures)
        {
            Need(c, "features.categorical");
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }
    }

    /// <summary>Moves the dump and its sidecars to the quarantine folder (never deletes) with a note of why.</summary>
    private static string QuarantineDump(ValidateDataOptions options, string file, IReadOnlyList<CheckResult> checks)
    {
        var dir = Path.Combine(options.RepoRoot, options.Spec.QuarantinePath);
        Directory.CreateDirectory(dir);
        var name = Path.GetFileName(file);
        var target = Path.Combine(dir, name);
        for (var n = 1; File.Exists(target); n++)
        {
            target = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(name)}.{n}{Path.GetExtension(name)}");
        }

        File.Move(file, target);
        foreach (var ext in new[] { ".sha256", ".sig" })
        {
            if (File.Exists(file + ext))
            {
                File.Move(file + ext, target + ext, overwrite: true);
            }
        }

        TollgateJson.WriteFile(target + ".rejected.json", new
        {
            file = Rel(options.RepoRoot, file),
            run = options.RunId,
            rejectedAt = options.Time.GetUtcNow(),
            failed = checks.Where(c => c.Status == CheckStatus.Failed).ToList(),
        });
        return target;
    }

    internal static string Rel(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}")]
    private static partial Regex DatePrefix();
}
