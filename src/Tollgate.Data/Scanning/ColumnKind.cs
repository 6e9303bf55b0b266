namespace Tollgate.Data.Scanning;

/// <summary>How the scanner treats a column's values.</summary>
public enum ColumnKind
{
    Numeric,
    Categorical,
    Date,
    Other,
}
