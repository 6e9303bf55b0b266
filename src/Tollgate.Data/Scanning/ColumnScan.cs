using Tollgate.Data.Profiles;

namespace Tollgate.Data.Scanning;

/// <summary>One column after the scan: its profile and the problems found, each with a count and the first lines.</summary>
public sealed record ColumnScan(
    ColumnProfile Profile,
    IssueSamples Nulls,
    IssueSamples TypeErrors,
    IssueSamples RangeErrors,
    IssueSamples DomainErrors,
    IssueSamples PatternErrors,
    IssueSamples LengthErrors,
    IssueSamples DateSwaps,
    IssueSamples DateRange);
