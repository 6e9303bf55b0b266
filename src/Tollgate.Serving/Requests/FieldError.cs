namespace Tollgate.Serving.Requests;

/// <summary>One problem with a request, at a JSON path such as <c>age</c> or <c>[3].job</c>.</summary>
/// <param name="Field">Where: the field, prefixed with the row index for batches; <c>$</c> for the whole body.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record FieldError(string Field, string Message);
