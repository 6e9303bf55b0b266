namespace Tollgate.Data.Contracts;

/// <summary>ODCS <c>logicalType</c> of a column, as far as validation cares.</summary>
public enum LogicalType
{
    String,
    Integer,
    Number,
    Date,
    Timestamp,
    Boolean,

    /// <summary><c>time</c>, <c>object</c>, <c>array</c>: present and null-checked, values not parsed.</summary>
    Other,
}
