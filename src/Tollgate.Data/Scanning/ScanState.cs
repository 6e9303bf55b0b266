using System.Runtime.CompilerServices;
using System.Text;
using nietras.SeparatedValues;
using Tollgate.Data.Contracts;

namespace Tollgate.Data.Scanning;

/// <summary>One worker's measurements over the blocks it parsed; states of all workers merge at the end.</summary>
internal sealed class ScanState
{
    private readonly ScanPlan plan;
    private readonly int headerCount;
    private readonly int[] fileIndex;      // contract column → file column (-1 when missing)
    private readonly int labelIndex;       // file column of the label, or -1
    private readonly int[][] keyIndex;     // per key set: file columns
    private readonly bool[] keyComplete;   // per key set: every key column is in the file
    private readonly string? positive;

    public ScanState(ScanPlan plan, IReadOnlyList<string> header, IReadOnlyList<KeySet> keySets)
    {
        this.plan = plan;
        headerCount = header.Count;
        var columns = plan.Contract.Columns;
        fileIndex = columns.Select(c => IndexOf(header, c.Name)).ToArray();
        Columns = columns.Select((c, i) => fileIndex[i] < 0 ? null : new ColumnState(c, KindOf(c, plan), plan)).ToArray();
        labelIndex = plan.LabelColumn is null ? -1 : IndexOf(header, plan.LabelColumn);
        positive = plan.PositiveClass;
        Keys = keySets.Select(k => new KeyCollector(k)).ToArray();
        keyIndex = keySets.Select(k => k.Columns.Select(c => IndexOf(header, c)).ToArray()).ToArray();
        keyComplete = keyIndex.Select(idx => idx.All(i => i >= 0)).ToArray();
    }

    public ColumnState?[] Columns { get; }

    public KeyCollector[] Keys { get; }

    public long Rows { get; private set; }

    public long LabelPositive { get; private set; }

    public long LabelCount { get; private set; }

    public IssueSamples Ragged { get; } = new();

    public long? InvalidUtf8Offset { get; set; }

    public long? InvalidUtf8Line { get; set; }

    public static ColumnKind KindOf(ColumnContract c, ScanPlan plan)
    {
        if (plan.KeyColumns.Contains(c.Name) && plan.KeyColumns.Count == 1 && c.IsNumeric)
        {
            return ColumnKind.Other; // a row id: parsed by the key check, profiling its spread says nothing
        }

        return c.LogicalType switch
        {
            LogicalType.Integer or LogicalType.Number => ColumnKind.Numeric,
            LogicalType.Date or LogicalType.Timestamp => ColumnKind.Date,
            LogicalType.String or LogicalType.Boolean when c.ValidValues is not null || plan.CategoricalColumns.Contains(c.Name) || c.LogicalType == LogicalType.Boolean
                => ColumnKind.Categorical,
            _ => ColumnKind.Other,
        };
    }

    /// <summary>Parses one block of whole records; <paramref name="firstLine"/> is the 1-based line of its first byte.</summary>
    // The hot loop runs once per process: compile it optimised straight away instead of waiting for tiering.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ParseBlock(byte[] buffer, int length, long firstLine, long firstOffset, FileFormat format)
    {
        var bytes = buffer.AsSpan(0, length);
        if (format.IsUtf8 && InvalidUtf8Offset is null && !System.Text.Unicode.Utf8.IsValid(bytes))
        {
            var bad = FirstInvalidUtf8(bytes);
            InvalidUtf8Offset = firstOffset + bad;
            InvalidUtf8Line = firstLine + bytes[..bad].Count((byte)'\n');
        }

        var options = new SepReaderOptions(new Sep(format.Delimiter))
        {
            HasHeader = false,
            Unescape = true,
            DisableColCountCheck = true,
        };
        using var stream = new MemoryStream(buffer, 0, length, writable: false);
        using var reader = format.IsUtf8
            ? options.From(stream)
            : options.From(new StreamReader(stream, Encoding.Latin1));
        foreach (var row in reader)
        {
            var line = firstLine + row.LineNumberFrom - 1;
            if (row.ColCount != headerCount)
            {
                if (row.ColCount == 1 && row.Span.Trim().IsEmpty)
                {
                    continue; // a blank line carries no record
                }

                Rows++;
                var spans = row.LineNumberToExcl - row.LineNumberFrom > 1
                    ? $"{row.ColCount} fields, expected {headerCount}; a quote opened here runs to line {firstLine + row.LineNumberToExcl - 2}"
                    : $"{row.ColCount} fields, expected {headerCount}";
                Ragged.Add(line, spans);
                continue;
            }

            Rows++;
            var isPositive = false;
            if (labelIndex >= 0)
            {
                var label = row[labelIndex].Span;
                if (!label.IsEmpty)
                {
                    LabelCount++;
                    if (positive is not null && label.SequenceEqual(positive))
                    {
                        isPositive = true;
                        LabelPositive++;
                    }
                }
            }

            for (var c = 0; c < Columns.Length; c++)
            {
                var state = Columns[c];
                state?.Add(row[fileIndex[c]].Span, line, isPositive);
            }

            for (var k = 0; k < Keys.Length; k++)
            {
                var idx = keyIndex[k];
                if (!keyComplete[k])
                {
                    continue;
                }

                if (idx.Length == 1)
                {
                    if (KeyCollector.KeyOf(Keys[k].Set, row[idx[0]].Span) is { } single)
                    {
                        Keys[k].Add(single);
                    }

                    continue;
                }

                var h = KeyCollector.Seed;
                var complete = true;
                foreach (var i in idx)
                {
                    var part = row[i].Span;
                    if (part.IsEmpty)
                    {
                        complete = false;
                        break;
                    }

                    h = KeyCollector.Combine(h, part);
                }

                if (complete)
                {
                    Keys[k].Add((long)h);
                }
            }
        }
    }

    /// <summary>Adds one record read from another format (JSON Lines): values by header position, null for absent.</summary>
    public void AddValues(string?[] values, long line)
    {
        Rows++;
        var isPositive = false;
        if (labelIndex >= 0 && !string.IsNullOrEmpty(values[labelIndex]))
        {
            LabelCount++;
            if (values[labelIndex] == positive)
            {
                isPositive = true;
                LabelPositive++;
            }
        }

        for (var c = 0; c < Columns.Length; c++)
        {
            Columns[c]?.Add(values[fileIndex[c]], line, isPositive);
        }

        for (var k = 0; k < Keys.Length; k++)
        {
            var idx = keyIndex[k];
            if (idx.Any(i => i < 0 || string.IsNullOrEmpty(values[i])))
            {
                continue;
            }

            if (idx.Length == 1)
            {
                if (KeyCollector.KeyOf(Keys[k].Set, values[idx[0]]) is { } single)
                {
                    Keys[k].Add(single);
                }

                continue;
            }

            var h = KeyCollector.Seed;
            foreach (var i in idx)
            {
                h = KeyCollector.Combine(h, values[i]);
            }

            Keys[k].Add((long)h);
        }
    }

    /// <summary>Sorts the last run of every key collector (on this worker's thread).</summary>
    public void SealKeys()
    {
        foreach (var k in Keys)
        {
            k.Seal();
        }
    }

    /// <summary>Drops every key collector's runs and spill files (idempotent).</summary>
    public void DisposeKeys()
    {
        foreach (var k in Keys)
        {
            k.Dispose();
        }
    }

    public void Merge(ScanState other)
    {
        Rows += other.Rows;
        LabelPositive += other.LabelPositive;
        LabelCount += other.LabelCount;
        Ragged.Merge(other.Ragged);
        if (other.InvalidUtf8Offset is { } o && (InvalidUtf8Offset is null || o < InvalidUtf8Offset))
        {
            InvalidUtf8Offset = o;
            InvalidUtf8Line = other.InvalidUtf8Line;
        }

        for (var c = 0; c < Columns.Length; c++)
        {
            if (Columns[c] is { } mine && other.Columns[c] is { } theirs)
            {
                mine.Merge(theirs);
            }
        }
    }

    internal static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            if (System.Buffers.OperationStatus.Done != System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed))
            {
                return i;
            }

            i += consumed;
        }

        return bytes.Length;
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
