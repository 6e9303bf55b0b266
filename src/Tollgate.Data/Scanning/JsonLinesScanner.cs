using System.Globalization;
using System.Text.Json;

namespace Tollgate.Data.Scanning;

/// <summary>
/// JSON Lines dumps: one JSON object per line, keys are column names. Strings are taken as written, numbers by their
/// JSON text, booleans as true/false, null as null. A line that is not a JSON object is reported like a ragged row.
/// </summary>
internal static class JsonLinesScanner
{
    public static ScanResult Scan(string path, ScanPlan plan, IReadOnlyList<KeySet> keySets, BlockReader hashSource, CancellationToken ct)
    {
        var expected = plan.Contract.Columns.Select(c => c.Name).ToList();
        var header = expected.ToList();
        var position = header.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var state = new ScanState(plan, header, keySets);
        var unexpected = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var bad = new IssueSamples();
        long? invalidUtf8 = null;
        long? invalidLine = null;
        long offset = 0;
        long lineNo = 0;
        var values = new string?[header.Count];
        foreach (var raw in ReadLines(path))
        {
            ct.ThrowIfCancellationRequested();
            lineNo++;
            var bytes = raw.AsSpan();
            if (lineNo == 1 && bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
            }

            if (invalidUtf8 is null && !System.Text.Unicode.Utf8.IsValid(bytes))
            {
                invalidUtf8 = offset + ScanState.FirstInvalidUtf8(bytes);
                invalidLine = lineNo;
            }

            offset += raw.Length + 1;
            if (bytes.Trim((byte)'\r').IsEmpty)
            {
                continue;
            }

            Array.Clear(values);
            try
            {
                using var doc = JsonDocument.Parse(bytes.ToArray());
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    bad.Add(lineNo, $"a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, expected an object");
                    continue;
                }

                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    seen.Add(p.Name);
                    if (!position.TryGetValue(p.Name, out var i))
                    {
                        unexpected.Add(p.Name);
                        continue;
                    }

                    values[i] = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.Null => null,
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => p.Value.GetRawText(),
                    };
                }
            }
            catch (JsonException ex)
            {
                bad.Add(lineNo, $"not JSON: {ex.Message.Split('.')[0]}");
                continue;
            }

            state.AddValues(values, lineNo);
        }

        return new ScanResult
        {
            Path = path,
            Bytes = hashSource.Length,
            Sha256 = hashSource.FinishHash(),
            Hmac = hashSource.Hmac,
            Rows = state.Rows + bad.Count,
            Header = [.. seen],
            MissingColumns = state.Rows == 0 ? [] : expected.Where(n => !seen.Contains(n)).ToList(),
            UnexpectedColumns = [.. unexpected],
            Ragged = bad,
            InvalidUtf8Offset = invalidUtf8,
            InvalidUtf8Line = invalidLine,
            Columns = DumpScanner.Collect(plan, state),
            Keys = keySets.Select((k, i) =>
            {
                var (dups, surplus) = KeyCollector.FindDuplicates([state.Keys[i]], 5);
                return new KeyScan(k, state.Keys[i].Count, surplus, dups.Select(d => (d.ToString(CultureInfo.InvariantCulture), (IReadOnlyList<long>)[])).ToList());
            }).ToList(),
            LabelPositive = state.LabelPositive,
            LabelCount = state.LabelCount,
        };
    }

    private static IEnumerable<byte[]> ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var line = new MemoryStream();
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            while (start < n)
            {
                var nl = Array.IndexOf(buffer, (byte)'\n', start, n - start);
                if (nl < 0)
                {
                    line.Write(buffer, start, n - start);
                    break;
                }

                line.Write(buffer, start, nl - start);
                yield return line.ToArray();
                line.SetLength(0);
                start = nl + 1;
            }
        }

        if (line.Length > 0)
        {
            yield return line.ToArray();
        }
    }
}
