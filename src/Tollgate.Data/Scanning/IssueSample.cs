namespace Tollgate.Data.Scanning;

/// <summary>One offending value and the 1-based line it starts on.</summary>
public sealed record IssueSample(long Line, string Value);
