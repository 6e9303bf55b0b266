using System.Globalization;
using System.Runtime.CompilerServices;
using Tollgate.Data.Contracts;
using Tollgate.Data.Profiles;

namespace Tollgate.Data.Scanning;

/// <summary>
/// One worker's running measurements of one column. Hot path: one call per cell, no allocation per value (small integers
/// count into a flat array, categories are looked up by span), so a block of rows costs parsing plus a few array writes.
/// </summary>
internal sealed class ColumnState
{
    public const int CategoryCap = 1000;
    private const int SmallMin = -128;
    private const int SmallMax = 4096;

    private readonly ColumnContract contract;
    private readonly bool isTimestamp;
    private readonly bool isoDate;
    private readonly string? swappedFormat;
    private readonly int minDay;
    private readonly int maxDay;
    private readonly int earliestDay;
    private readonly int latestDay;
    private readonly double minimum;
    private readonly double maximum;
    private readonly bool checkStrings;

    private double min = double.PositiveInfinity;
    private double max = double.NegativeInfinity;
    private double sum;
    private double sumSquares;
    private double sumPositive;
    private long countPositive;
    private long[]? smallPositive;
    private long[]? smallNegative;
    private QuantileSketch? sketchPositive;
    private QuantileSketch? sketchNegative;

    private CategoryTable? categoryIndex;
    private HashSet<string>.AlternateLookup<ReadOnlySpan<char>> validLookup;
    private HashSet<string>.AlternateLookup<ReadOnlySpan<char>> missingLookup;
    private readonly List<string> names = [];
    private long[] counts = new long[16];
    private long[] countsPositive = new long[16];
    private bool[] valid = new bool[16];
    private bool[] missingFlags = new bool[16];
    private long other;

    private readonly char[] lastDate = new char[32];
    private int lastDateLength = -1;
    private int lastDay;
    private int minDate = int.MaxValue;
    private int maxDate = int.MinValue;

    public ColumnState(ColumnContract contract, ColumnKind kind, ScanPlan plan)
    {
        this.contract = contract;
        Kind = kind;
        isTimestamp = contract.Name == plan.TimestampColumn;
        minimum = contract.Minimum ?? double.NegativeInfinity;
        maximum = contract.Maximum ?? double.PositiveInfinity;
        checkStrings = contract.Pattern is not null || contract.MinLength is not null || contract.MaxLength is not null;
        if (kind == ColumnKind.Categorical)
        {
            categoryIndex = new CategoryTable();
            var validSet = new HashSet<string>(contract.ValidValues ?? (IEnumerable<string>)[], StringComparer.Ordinal);
            validLookup = validSet.GetAlternateLookup<ReadOnlySpan<char>>();
            var missingSet = new HashSet<string>(contract.MissingValues, StringComparer.Ordinal);
            missingLookup = missingSet.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        if (kind == ColumnKind.Date)
        {
            isoDate = contract.LogicalType == LogicalType.Date && contract.Format == "yyyy-MM-dd";
            swappedFormat = SwapDayMonth(contract.Format!);
            minDay = contract.MinimumDate?.DayNumber ?? int.MinValue;
            maxDay = contract.MaximumDate?.DayNumber ?? int.MaxValue;
            earliestDay = isTimestamp ? Math.Max(plan.EarliestDate.DayNumber, minDay) : int.MinValue;
            latestDay = isTimestamp && plan.LatestDate is { } latest ? latest.DayNumber : int.MaxValue;
        }
    }

    public ColumnKind Kind { get; }

    public long Count { get; private set; }

    public long Nulls { get; private set; }

    public long Missing { get; private set; }

    public IssueSamples NullSamples { get; } = new();

    public IssueSamples TypeErrors { get; } = new();

    public IssueSamples RangeErrors { get; } = new();

    public IssueSamples DomainErrors { get; } = new();

    public IssueSamples PatternErrors { get; } = new();

    public IssueSamples LengthErrors { get; } = new();

    public IssueSamples DateSwaps { get; } = new();

    public IssueSamples DateRange { get; } = new();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<char> value, long line, bool positive)
    {
        if (value.IsEmpty)
        {
            Nulls++;
            if (contract.Required)
            {
                NullSamples.Add(line, string.Empty);
            }

            return;
        }

        Count++;
        switch (Kind)
        {
            case ColumnKind.Numeric:
                AddNumber(value, line, positive);
                break;
            case ColumnKind.Categorical:
                AddCategory(value, line, positive);
                break;
            case ColumnKind.Date:
                AddDate(value, line);
                break;
            default:
                if (checkStrings)
                {
                    CheckString(value, line);
                }

                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddNumber(ReadOnlySpan<char> value, long line, bool positive)
    {
        double x;
        if (contract.LogicalType == LogicalType.Integer)
        {
            if (!FastNumber.TryParseInt64(value, out var l))
            {
                if (!IsDeclaredMissing(value))
                {
                    TypeErrors.Add(line, value);
                }

                return;
            }

            x = l;
            if (l >= SmallMin && l < SmallMax)
            {
                var small = positive ? (smallPositive ??= new long[SmallMax - SmallMin]) : (smallNegative ??= new long[SmallMax - SmallMin]);
                small[l - SmallMin]++;
            }
            else
            {
                (positive ? sketchPositive ??= new() : sketchNegative ??= new()).Add(x);
            }
        }
        else
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out x) || !double.IsFinite(x))
            {
                if (!IsDeclaredMissing(value))
                {
                    TypeErrors.Add(line, value);
                }

                return;
            }

            (positive ? sketchPositive ??= new() : sketchNegative ??= new()).Add(x);
        }

        if (x < min)
        {
            min = x;
        }

        if (x > max)
        {
            max = x;
        }

        sum += x;
        sumSquares += x * x;
        if (positive)
        {
            sumPositive += x;
            countPositive++;
        }

        if (x < minimum || x > maximum)
        {
            RangeErrors.Add(line, value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool IsDeclaredMissing(ReadOnlySpan<char> value)
    {
        foreach (var m in contract.MissingValues)
        {
            if (value.SequenceEqual(m))
            {
                Count--;
                Nulls++;
                return true;
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddCategory(ReadOnlySpan<char> value, long line, bool positive)
    {
        if (!categoryIndex!.TryGetValue(value, out var index))
        {
            if (names.Count >= CategoryCap)
            {
                other++;
                if (contract.ValidValues is not null && !validLookup.Contains(value))
                {
                    DomainErrors.Add(line, value);
                }

                if (missingLookup.Contains(value))
                {
                    Missing++;
                }

                if (checkStrings)
                {
                    CheckString(value, line);
                }

                return;
            }

            index = NewCategory(value.ToString());
        }

        counts[index]++;
        if (positive)
        {
            countsPositive[index]++;
        }

        if (!valid[index])
        {
            DomainErrors.Add(line, value);
        }

        if (missingFlags[index])
        {
            Missing++;
        }

        if (checkStrings)
        {
            CheckString(value, line);
        }
    }

    private int NewCategory(string name)
    {
        var index = names.Count;
        names.Add(name);
        categoryIndex!.Add(name, index);
        if (index >= counts.Length)
        {
            Array.Resize(ref counts, counts.Length * 2);
            Array.Resize(ref countsPositive, countsPositive.Length * 2);
            Array.Resize(ref valid, valid.Length * 2);
            Array.Resize(ref missingFlags, missingFlags.Length * 2);
        }

        valid[index] = contract.ValidValues is null || contract.ValidValues.Contains(name);
        missingFlags[index] = contract.MissingValues.Contains(name);
        return index;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CheckString(ReadOnlySpan<char> value, long line)
    {
        if ((contract.MinLength is { } lo && value.Length < lo) || (contract.MaxLength is { } hi && value.Length > hi))
        {
            LengthErrors.Add(line, value);
        }

        if (contract.Pattern is { } pattern && !pattern.IsMatch(value))
        {
            PatternErrors.Add(line, value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddDate(ReadOnlySpan<char> value, long line)
    {
        int day;
        if (value.Length == lastDateLength && value.SequenceEqual(lastDate.AsSpan(0, lastDateLength)))
        {
            day = lastDay; // dumps are mostly ordered by date: most rows repeat the previous row's date
        }
        else
        {
            if (isoDate)
            {
                if (!TryIso(value, out day, out var swapped))
                {
                    TypeErrors.Add(line, value);
                    if (swapped)
                    {
                        DateSwaps.Add(line, value);
                    }

                    return;
                }
            }
            else if (!TryFormat(value, contract.Format!, out day))
            {
                TypeErrors.Add(line, value);
                if (swappedFormat is not null && TryFormat(value, swappedFormat, out _))
                {
                    DateSwaps.Add(line, value);
                }

                return;
            }

            if (value.Length <= lastDate.Length)
            {
                value.CopyTo(lastDate);
                lastDateLength = value.Length;
                lastDay = day;
            }
        }

        if (day < minDate)
        {
            minDate = day;
        }

        if (day > maxDate)
        {
            maxDate = day;
        }

        if (day < minDay || day > maxDay)
        {
            RangeErrors.Add(line, value);
        }

        if (day < earliestDay || day > latestDay)
        {
            DateRange.Add(line, value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryFormat(ReadOnlySpan<char> value, string format, out int day)
    {
        day = 0;
        if (contract.LogicalType == LogicalType.Date)
        {
            if (DateOnly.TryParseExact(value, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                day = d.DayNumber;
                return true;
            }

            return false;
        }

        if (DateTime.TryParseExact(value, format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
        {
            day = DateOnly.FromDateTime(t).DayNumber;
            return true;
        }

        return false;
    }

    /// <summary>yyyy-MM-dd without the general parser; <paramref name="swapped"/> says the value reads as yyyy-dd-MM.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryIso(ReadOnlySpan<char> v, out int day, out bool swapped)
    {
        day = 0;
        swapped = false;
        if (v.Length != 10 || v[4] != '-' || v[7] != '-')
        {
            return false;
        }

        if (!Digits(v[..4], out var y) || !Digits(v.Slice(5, 2), out var m) || !Digits(v.Slice(8, 2), out var d) || y == 0)
        {
            return false;
        }

        if (m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
        {
            day = new DateOnly(y, m, d).DayNumber;
            return true;
        }

        swapped = d is >= 1 and <= 12 && m >= 1 && m <= DateTime.DaysInMonth(y, d);
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>dd-MM-yyyy ↔ MM-dd-yyyy: the format a day/month swap would have been written in.</summary>
    internal static string? SwapDayMonth(string format)
    {
        if (!format.Contains("dd", StringComparison.Ordinal) || !format.Contains("MM", StringComparison.Ordinal))
        {
            return null;
        }

        return format.Replace("dd", "\u0001", StringComparison.Ordinal).Replace("MM", "dd", StringComparison.Ordinal).Replace("\u0001", "MM", StringComparison.Ordinal);
    }

    public void Merge(ColumnState o)
    {
        Count += o.Count;
        Nulls += o.Nulls;
        Missing += o.Missing;
        NullSamples.Merge(o.NullSamples);
        TypeErrors.Merge(o.TypeErrors);
        RangeErrors.Merge(o.RangeErrors);
        DomainErrors.Merge(o.DomainErrors);
        PatternErrors.Merge(o.PatternErrors);
        LengthErrors.Merge(o.LengthErrors);
        DateSwaps.Merge(o.DateSwaps);
        DateRange.Merge(o.DateRange);
        min = Math.Min(min, o.min);
        max = Math.Max(max, o.max);
        sum += o.sum;
        sumSquares += o.sumSquares;
        sumPositive += o.sumPositive;
        countPositive += o.countPositive;
        o.Flush();
        Flush();
        if (o.sketchPositive is not null)
        {
            (sketchPositive ??= new()).Merge(o.sketchPositive);
        }

        if (o.sketchNegative is not null)
        {
            (sketchNegative ??= new()).Merge(o.sketchNegative);
        }

        for (var i = 0; i < o.names.Count; i++)
        {
            var name = o.names[i];
            if (!categoryIndex!.TryGetValue(name.AsSpan(), out var index))
            {
                if (names.Count >= CategoryCap)
                {
                    other += o.counts[i];
                    continue;
                }

                index = NewCategory(name);
            }

            counts[index] += o.counts[i];
            countsPositive[index] += o.countsPositive[i];
        }

        other += o.other;
        minDate = Math.Min(minDate, o.minDate);
        maxDate = Math.Max(maxDate, o.maxDate);
    }

    /// <summary>Moves the exact small-integer counts into the sketches.</summary>
    private void Flush()
    {
        Move(ref smallPositive, ref sketchPositive);
        Move(ref smallNegative, ref sketchNegative);

        static void Move(ref long[]? small, ref QuantileSketch? sketch)
        {
            if (small is null)
            {
                return;
            }

            sketch ??= new QuantileSketch();
            for (var i = 0; i < small.Length; i++)
            {
                if (small[i] > 0)
                {
                    sketch.AddBin(QuantileSketch.KeyOf(i + SmallMin), small[i]);
                }
            }

            small = null;
        }
    }

    public ColumnProfile ToProfile()
    {
        Flush();
        var kind = Kind switch
        {
            ColumnKind.Numeric => "numeric",
            ColumnKind.Categorical => "categorical",
            ColumnKind.Date => "date",
            _ => "other",
        };
        var hasNumbers = Kind == ColumnKind.Numeric && !double.IsInfinity(min);
        return new ColumnProfile
        {
            Name = contract.Name,
            Kind = kind,
            Count = Count,
            Nulls = Nulls,
            Missing = Missing,
            Min = hasNumbers ? min : double.NaN,
            Max = hasNumbers ? max : double.NaN,
            Sum = sum,
            SumSquares = sumSquares,
            SumPositive = sumPositive,
            CountPositive = Kind == ColumnKind.Categorical ? countsPositive.Take(names.Count).Sum() : countPositive,
            SketchPositive = sketchPositive?.ToData(),
            SketchNegative = sketchNegative?.ToData(),
            Categories = Kind == ColumnKind.Categorical
                ? names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => new[] { counts[p.i], countsPositive[p.i] }, StringComparer.Ordinal)
                : null,
            OtherCount = other,
            MinDate = minDate == int.MaxValue ? null : DateOnly.FromDayNumber(minDate).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            MaxDate = maxDate == int.MinValue ? null : DateOnly.FromDayNumber(maxDate).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }
}
