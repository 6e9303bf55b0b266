using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using nietras.SeparatedValues;
using Tollgate.Data.Checks;
using Tollgate.Data.Contracts;

namespace Tollgate.Data.Scanning;

/// <summary>
/// One streaming pass over a dump: the file is read in blocks cut at record boundaries (a newline outside quotes —
/// doubled quotes keep the parity, so counting quote bytes is enough), blocks are parsed by Sep on every core, each
/// worker keeps its own sketches and counters, and the states merge at the end. Memory is the blocks in flight plus
/// 8 bytes per row for key checks — no rows are kept. SHA-256 is computed in the same pass.
/// </summary>
public static class DumpScanner
{
    public static ScanResult Scan(string path, ScanPlan plan, CancellationToken cancellationToken = default)
    {
        var format = plan.Contract.Format;
        var keySets = KeySets(plan);
        using var reader = new BlockReader(path, format.Quote, plan.BlockBytes, plan.MaxRecordBytes, plan.HmacKey);
        var bytes = reader.Length;
        if (bytes == 0 || (bytes == 3 && reader.HasBom))
        {
            return new ScanResult { Path = path, Bytes = bytes, Sha256 = reader.FinishHash(), Hmac = reader.Hmac, Fatal = "the file is empty (0 bytes): expected a header line and data rows" };
        }

        if (format.IsJsonLines)
        {
            return JsonLinesScanner.Scan(path, plan, keySets, reader, cancellationToken);
        }

        var headerLine = reader.ReadHeader();
        if (headerLine is null)
        {
            return new ScanResult { Path = path, Bytes = bytes, Sha256 = reader.FinishHash(), Hmac = reader.Hmac, Fatal = "no header line: the file holds no line break within the first 64 MiB" };
        }

        var header = ParseHeader(headerLine, format);
        var headerUtf8Bad = format.IsUtf8 && !System.Text.Unicode.Utf8.IsValid(reader.HeaderBytes);
        var expected = plan.Contract.Columns.Select(c => c.Name).ToList();
        var missing = expected.Where(n => !header.Contains(n)).ToList();
        var unexpected = header.Where(n => !expected.Contains(n)).Distinct().ToList();
        var duplicates = header.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var hint = DelimiterHint(header, headerLine, format.Delimiter);

        var states = new List<ScanState>();
        try
        {
            var workers = Math.Max(1, plan.Workers);
            if (workers == 1 || bytes <= plan.BlockBytes)
            {
                var state = new ScanState(plan, header, keySets);
                states.Add(state);
                foreach (var block in reader.Blocks())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    state.ParseBlock(block.Buffer, block.Length, block.FirstLine, block.Offset, format);
                    ArrayPool<byte>.Shared.Return(block.Buffer);
                }
            }
            else
            {
                // No reader thread: each worker takes the next block itself (reading, hashing and cutting it under a
                // lock — a fifth of the parse time, so rarely contended), then parses it outside the lock. As many
                // threads as cores, no hand-off queue, no waking of sleeping consumers.
                using var blocks = reader.Blocks().GetEnumerator();
                var gate = new Lock();
                var stop = false;
                var threads = new List<Thread>();
                var errors = new System.Collections.Concurrent.ConcurrentQueue<System.Runtime.ExceptionServices.ExceptionDispatchInfo>();
                for (var w = 0; w < workers; w++)
                {
                    var state = new ScanState(plan, header, keySets);
                    states.Add(state);
                    var thread = new Thread(() =>
                    {
                        try
                        {
                            while (true)
                            {
                                Block block;
                                lock (gate)
                                {
                                    if (stop || cancellationToken.IsCancellationRequested || !blocks.MoveNext())
                                    {
                                        break;
                                    }

                                    block = blocks.Current;
                                }

                                state.ParseBlock(block.Buffer, block.Length, block.FirstLine, block.Offset, format);
                                ArrayPool<byte>.Shared.Return(block.Buffer);
                            }

                            state.SealKeys();
                        }
                        catch (Exception e)
                        {
                            errors.Enqueue(System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e));
                            lock (gate)
                            {
                                stop = true;
                            }
                        }
                    })
                    {
                        IsBackground = true,
                        Name = $"tollgate-scan-{w}",
                    };
                    threads.Add(thread);
                    thread.Start();
                }

                foreach (var thread in threads)
                {
                    thread.Join();
                }

                if (errors.TryDequeue(out var error))
                {
                    error.Throw();
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            var merged = states[0];
            foreach (var other in states.Skip(1))
            {
                merged.Merge(other);
            }

            var keys = FinishKeys(path, plan, header, keySets, states, reader.HeaderLines, format);
            if (headerUtf8Bad && merged.InvalidUtf8Offset is null)
            {
                var bad = ScanState.FirstInvalidUtf8(reader.HeaderBytes);
                merged.InvalidUtf8Offset = bad + (reader.HasBom ? 3 : 0);
                merged.InvalidUtf8Line = 1;
            }

            return new ScanResult
            {
                Path = path,
                Bytes = bytes,
                Sha256 = reader.FinishHash(),
                Hmac = reader.Hmac,
                Rows = merged.Rows,
                Header = header,
                MissingColumns = missing,
                UnexpectedColumns = unexpected,
                DuplicateHeaderColumns = duplicates,
                Ragged = merged.Ragged,
                LongRecords = reader.LongRecords,
                InvalidUtf8Offset = merged.InvalidUtf8Offset,
                InvalidUtf8Line = merged.InvalidUtf8Line,
                HadBom = reader.HasBom,
                DelimiterHint = hint,
                Columns = Collect(plan, merged),
                Keys = keys,
                LabelPositive = merged.LabelPositive,
                LabelCount = merged.LabelCount,
            };
        }
        finally
        {
            foreach (var state in states)
            {
                state.DisposeKeys(); // spill files go even when the scan is cancelled or fails
            }
        }
    }

    internal static IReadOnlyDictionary<string, ColumnScan> Collect(ScanPlan plan, ScanState merged)
    {
        var columns = new Dictionary<string, ColumnScan>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Contract.Columns.Count; i++)
        {
            if (merged.Columns[i] is { } s)
            {
                columns[plan.Contract.Columns[i].Name] = new ColumnScan(
                    s.ToProfile(), s.NullSamples, s.TypeErrors, s.RangeErrors, s.DomainErrors, s.PatternErrors, s.LengthErrors, s.DateSwaps, s.DateRange);
            }
        }

        return columns;
    }

    /// <summary>The key sets to check: the primary key, each <c>unique</c> column, each <c>duplicateValues</c> rule.</summary>
    public static IReadOnlyList<KeySet> KeySets(ScanPlan plan)
    {
        var contract = plan.Contract;
        var sets = new List<KeySet>();
        bool IsInteger(IReadOnlyList<string> cols) => cols.Count == 1 && contract.Column(cols[0])?.LogicalType == LogicalType.Integer;
        if (plan.KeyColumns.Count > 0)
        {
            sets.Add(new KeySet(CheckIds.PrimaryKey, plan.KeyColumns, IsInteger(plan.KeyColumns)));
        }

        foreach (var c in contract.Columns.Where(c => c.Unique))
        {
            if (plan.KeyColumns.Count == 1 && plan.KeyColumns[0] == c.Name)
            {
                continue;
            }

            sets.Add(new KeySet(CheckIds.Unique, [c.Name], IsInteger([c.Name])));
        }

        foreach (var rule in contract.AllRules.Where(r => r.Type == "library" && r.Metric == "duplicateValues"))
        {
            var cols = RuleColumns(rule, contract);
            // A rule over the same columns as a key already collected shares its collector: 8 bytes per row, not 16.
            if (cols.Count > 0 && !sets.Any(s => s.Columns.SequenceEqual(cols)))
            {
                sets.Add(new KeySet(rule.Id, cols, IsInteger(cols)));
            }
        }

        return sets;
    }

    /// <summary>The columns a <c>duplicateValues</c> rule covers: its column, its <c>arguments.properties</c>, or the primary key.</summary>
    public static IReadOnlyList<string> RuleColumns(QualityRule rule, DataContract contract) =>
        rule.Column is not null
            ? [rule.Column]
            : rule.Arguments?["properties"] is System.Text.Json.Nodes.JsonArray props
                ? props.Select(p => p?.ToString() ?? string.Empty).ToList()
                : contract.PrimaryKey;

    private static List<KeyScan> FinishKeys(
        string path, ScanPlan plan, IReadOnlyList<string> header, IReadOnlyList<KeySet> sets, List<ScanState> states, long headerLines, FileFormat format)
    {
        var results = new List<KeyScan>();
        for (var k = 0; k < sets.Count; k++)
        {
            var collectors = states.Select(s => s.Keys[k]).ToList();
            var rows = collectors.Sum(c => c.Count);
            var (dups, surplus) = KeyCollector.FindDuplicates(collectors, keep: 1000);
            if (surplus == 0)
            {
                results.Add(new KeyScan(sets[k], rows, 0, []));
                continue;
            }

            // Second pass, only on failure: find the real values and their lines (and rule out 64-bit hash collisions).
            var examples = FindDuplicateLines(path, sets[k], header, dups, headerLines, format);
            var confirmed = examples.Count > 0 || sets[k].IntegerKey;
            results.Add(new KeyScan(sets[k], rows, confirmed ? surplus : 0, examples));
        }

        return results;
    }

    private static List<(string Key, IReadOnlyList<long> Lines)> FindDuplicateLines(
        string path, KeySet set, IReadOnlyList<string> header, HashSet<long> wanted, long headerLines, FileFormat format)
    {
        var idx = set.Columns.Select(c => header.ToList().IndexOf(c)).ToArray();
        var seen = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var options = new SepReaderOptions(new Sep(format.Delimiter)) { HasHeader = false, Unescape = true, DisableColCountCheck = true };
        using var reader = format.IsUtf8 ? options.FromFile(path) : options.From(new StreamReader(path, Encoding.Latin1));
        foreach (var row in reader)
        {
            if (row.LineNumberFrom <= headerLines || row.ColCount != header.Count)
            {
                continue;
            }

            long? key;
            if (idx.Length == 1)
            {
                key = KeyCollector.KeyOf(set, row[idx[0]].Span);
            }
            else
            {
                var h = KeyCollector.Seed;
                foreach (var i in idx)
                {
                    h = KeyCollector.Combine(h, row[i].Span);
                }

                key = (long)h;
            }

            if (key is { } value && wanted.Contains(value))
            {
                var parts = new string[idx.Length];
                for (var i = 0; i < idx.Length; i++)
                {
                    parts[i] = row[idx[i]].ToString();
                }

                var text = string.Join("|", parts);
                if (!seen.TryGetValue(text, out var lines))
                {
                    seen[text] = lines = [];
                }

                lines.Add(row.LineNumberFrom);
            }
        }

        return seen.Where(p => p.Value.Count > 1).OrderBy(p => p.Value[1]).Take(IssueSamples.Keep)
            .Select(p => (p.Key, (IReadOnlyList<long>)p.Value.Take(5).ToList())).ToList();
    }

    private static List<string> ParseHeader(string headerLine, FileFormat format)
    {
        var options = new SepReaderOptions(new Sep(format.Delimiter)) { HasHeader = false, Unescape = true, DisableColCountCheck = true };
        using var reader = options.FromText(headerLine);
        if (!reader.MoveNext())
        {
            return [];
        }

        var row = reader.Current;
        var names = new List<string>(row.ColCount);
        for (var i = 0; i < row.ColCount; i++)
        {
            names.Add(row[i].ToString().Trim());
        }

        return names;
    }

    private static string? DelimiterHint(List<string> header, string headerLine, char declared)
    {
        if (header.Count > 1)
        {
            return null;
        }

        foreach (var candidate in new[] { ',', ';', '\t', '|' })
        {
            if (candidate != declared && headerLine.Contains(candidate, StringComparison.Ordinal))
            {
                var shown = candidate == '\t' ? "\\t" : candidate.ToString(CultureInfo.InvariantCulture);
                return $"the header has one column but contains '{shown}': the file looks '{shown}'-separated, the contract declares '{(declared == '\t' ? "\\t" : declared.ToString(CultureInfo.InvariantCulture))}'";
            }
        }

        return null;
    }

    internal static string Hash(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());
}
