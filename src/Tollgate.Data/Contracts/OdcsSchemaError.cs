namespace Tollgate.Data.Contracts;

/// <summary>One place where a contract breaks the ODCS JSON schema.</summary>
/// <param name="InstancePointer">JSON pointer into the contract, e.g. <c>/schema/0/properties/2/logicalType</c>.</param>
/// <param name="SchemaPath">Where in the ODCS schema the rule that failed lives.</param>
/// <param name="Keyword">The JSON-schema keyword that failed (<c>enum</c>, <c>required</c>, <c>type</c>…).</param>
/// <param name="Message">What the validator said.</param>
public sealed record OdcsSchemaError(string InstancePointer, string SchemaPath, string Keyword, string Message);
