using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Tollgate.Core.Errors;
using Tollgate.Modeling.Scoring;
using Tollgate.Serving.Contracts;

namespace Tollgate.Serving.Requests;

/// <summary>
/// Turns request bodies into <see cref="FeatureRow"/>s, checking each field against the data contract: JSON type,
/// integer-ness, numeric range, categorical domain, required fields, unknown fields. A single object and an array go
/// through the same per-row code, so batch and single requests cannot drift apart. Never throws on bad input.
/// </summary>
public sealed class RowValidator
{
    /// <summary>Deep enough for an array of flat objects; anything deeper is not a feature row.</summary>
    public const int MaxDepth = 4;

    private const int MaxErrors = 50;
    private const int MaxStringLength = 256;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowTrailingCommas = false };

    private readonly Dictionary<string, Rule> rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Rule>.AlternateLookup<ReadOnlySpan<char>> rulesBySpan;
    private readonly FeatureSchema schema;
    private readonly FeatureIndex numericIndex;
    private readonly FeatureIndex categoricalIndex;
    private readonly int maxBatchRows;

    // Idle single-row requests in fixed slots, taken and returned with one Interlocked operation each (as the scorers).
    private readonly ParsedRequest?[] idleSingles = new ParsedRequest?[Math.Max(8, Environment.ProcessorCount * 8)];

    public RowValidator(FeatureSchema schema, ServingContract contract, int maxBatchRows)
    {
        this.schema = schema;
        numericIndex = FeatureIndex.Of(schema.Numeric);
        categoricalIndex = FeatureIndex.Of(schema.Categorical);
        this.maxBatchRows = maxBatchRows;
        var problems = new List<string>();
        foreach (var field in contract.Fields.Values)
        {
            rules[field.Name] = new Rule(field, RuleKind.Ignored, null);
        }

        foreach (var name in schema.Numeric)
        {
            if (!contract.Fields.TryGetValue(name, out var field))
            {
                problems.Add($"{contract.Path}: the model's numeric feature '{name}' is not in the contract; the server cannot validate it.");
            }
            else if (!field.IsNumeric)
            {
                problems.Add($"{contract.Path}: the model's numeric feature '{name}' has logicalType '{field.LogicalType}' in the contract; expected integer or number.");
            }
            else
            {
                rules[name] = new Rule(field, RuleKind.Numeric, null);
            }
        }

        foreach (var name in schema.Categorical)
        {
            if (!contract.Fields.TryGetValue(name, out var field))
            {
                problems.Add($"{contract.Path}: the model's categorical feature '{name}' is not in the contract; the server cannot validate it.");
            }
            else
            {
                var domain = field.ValidValues?.ToDictionary(v => v, v => v, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
                rules[name] = new Rule(field, RuleKind.Categorical, domain);
            }
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        AllowedFields = string.Join(", ", rules.Keys);
        rulesBySpan = rules.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private enum RuleKind
    {
        Ignored,
        Numeric,
        Categorical,
    }

    /// <summary>Field names a request may carry (contract columns); only the model's features are used.</summary>
    public string AllowedFields { get; }

    /// <summary>Parses and validates a JSON body: one row object or an array of them.</summary>
    public ParsedRequest Parse(ReadOnlyMemory<byte> body)
    {
        // System.Text.Json checks UTF-8 only when a string is decoded; checking the whole body first turns bad bytes
        // anywhere (values or field names) into one clear 400 instead of an exception later.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return new ParsedRequest(null, 400, [new FieldError("$", "body is not valid UTF-8 text.")]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : string.Empty;
            return new ParsedRequest(null, 400, [new FieldError("$", $"body is not valid JSON{where}: {Describe(ex)}")]);
        }

        var root = document.RootElement;
        List<FieldError>? errors = null; // made on the first error: a valid request allocates no list
        switch (root.ValueKind)
        {
            case JsonValueKind.Object:
                // A single row (the common request) is read into a reused request, handed back when disposed.
                var single = TakeSingle();
                if (!FillRow(root, string.Empty, ref errors, single.Numeric!, single.Categorical!))
                {
                    single.Clear();
                    Return(single);
                    return new ParsedRequest(document, 400, errors!);
                }

                return single.Lease(document, root);
            case JsonValueKind.Array:
                var count = root.GetArrayLength();
                if (count == 0)
                {
                    return new ParsedRequest(document, 400, [new FieldError("$", "the batch is empty; send at least one row object.")]);
                }

                if (count > maxBatchRows)
                {
                    return new ParsedRequest(document, 413, [new FieldError("$", $"the batch has {count} rows; the limit is {maxBatchRows} per request. Split it.")]);
                }

                var rows = new List<FeatureRow>(count);
                var received = new List<JsonElement>(count);
                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    var prefix = $"[{index}].";
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        AddError(ref errors, new FieldError($"[{index}]", $"expected a row object, found {Kind(item)}."));
                    }
                    else if (ParseRow(item, prefix, ref errors) is { } parsed)
                    {
                        rows.Add(parsed);
                        received.Add(item);
                    }

                    index++;
                    if (errors?.Count >= MaxErrors)
                    {
                        break;
                    }
                }

                return errors is { Count: > 0 }
                    ? new ParsedRequest(document, 400, errors)
                    : new ParsedRequest(document, isBatch: true, rows, received);
            default:
                return new ParsedRequest(document, 400, [new FieldError("$", $"expected a row object or an array of row objects, found {Kind(root)}.")]);
        }
    }

    private FeatureRow? ParseRow(JsonElement row, string prefix, ref List<FieldError>? errors)
    {
        var numeric = new FeatureValues<float>(numericIndex);
        var categorical = new FeatureValues<string>(categoricalIndex);
        return FillRow(row, prefix, ref errors, numeric, categorical) ? new FeatureRow(numeric, categorical) : null;
    }

    /// <summary>Reads one row object into empty value sets; false when it added errors.</summary>
    private bool FillRow(JsonElement row, string prefix, ref List<FieldError>? errors, FeatureValues<float> numeric, FeatureValues<string> categorical)
    {
        var before = errors?.Count ?? 0;
        var seen = 0;
        foreach (var property in row.EnumerateObject())
        {
            if (FindRule(property) is not { } rule)
            {
                AddError(ref errors, new FieldError(prefix + Truncate(property.Name), $"unknown field; fields of this contract: {AllowedFields}."));
                continue;
            }

            if (rule.Kind == RuleKind.Ignored)
            {
                continue;
            }

            // Keys are the contract's own name strings: no per-request copy of a field name.
            var name = rule.Field.Name;
            if (numeric.ContainsKey(name) || categorical.ContainsKey(name))
            {
                AddError(ref errors, new FieldError(prefix + name, "the field appears more than once."));
                continue;
            }

            seen++;
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                if (rule.Field.Required)
                {
                    AddError(ref errors, new FieldError(prefix + name, "is required by the contract; null is not allowed."));
                }
                else if (rule.Kind == RuleKind.Numeric)
                {
                    numeric.TrySet(name, float.NaN);
                }
                else
                {
                    categorical.TrySet(name, string.Empty);
                }

                continue;
            }

            if (rule.Kind == RuleKind.Numeric)
            {
                if (ReadNumber(value, rule.Field, prefix, ref errors) is { } number)
                {
                    numeric.TrySet(name, number);
                }
            }
            else if (ReadCategory(value, rule, prefix, ref errors) is { } category)
            {
                categorical.TrySet(name, category);
            }
        }

        if (seen < schema.Numeric.Count + schema.Categorical.Count)
        {
            foreach (var name in schema.All)
            {
                if (!numeric.ContainsKey(name) && !categorical.ContainsKey(name) && !row.TryGetProperty(name, out _))
                {
                    AddError(ref errors, new FieldError(prefix + name, "is missing; every model feature must be given."));
                }
            }
        }

        return (errors?.Count ?? 0) == before;
    }

    private static void AddError(ref List<FieldError>? errors, FieldError error) => (errors ??= []).Add(error);

    private ParsedRequest TakeSingle()
    {
        for (var i = 0; i < idleSingles.Length; i++)
        {
            if (Volatile.Read(ref idleSingles[i]) is not null && Interlocked.Exchange(ref idleSingles[i], null) is { } request)
            {
                return request;
            }
        }

        return new ParsedRequest(this, numericIndex, categoricalIndex);
    }

    /// <summary>Takes back a cleared single-row request once its caller is done with it (a full pool lets it go).</summary>
    internal void Return(ParsedRequest request)
    {
        for (var i = 0; i < idleSingles.Length; i++)
        {
            if (Interlocked.CompareExchange(ref idleSingles[i], request, null) is null)
            {
                return;
            }
        }
    }

    private static float? ReadNumber(JsonElement value, ContractField field, string prefix, ref List<FieldError>? errors)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            AddError(ref errors, new FieldError(prefix + field.Name, $"expected a JSON number ({field.LogicalType}), found {Kind(value)}."));
            return null;
        }

        if (!value.TryGetDouble(out var number) || !double.IsFinite(number) || Math.Abs(number) > float.MaxValue)
        {
            AddError(ref errors, new FieldError(prefix + field.Name, $"{Truncate(value.GetRawText())} is not a finite number."));
            return null;
        }

        if (field.IsInteger && number != Math.Floor(number))
        {
            AddError(ref errors, new FieldError(prefix + field.Name, $"expected a whole number, found {number.ToString(CultureInfo.InvariantCulture)}."));
            return null;
        }

        if (number < field.Minimum || number > field.Maximum)
        {
            AddError(ref errors, new FieldError(
                prefix + field.Name,
                $"{number.ToString(CultureInfo.InvariantCulture)} is outside the contract's range {Format(field.Minimum)}..{Format(field.Maximum)}."));
            return null;
        }

        return (float)number;
    }

    private static string? ReadCategory(JsonElement value, Rule rule, string prefix, ref List<FieldError>? errors)
    {
        var field = rule.Field;
        if (value.ValueKind == JsonValueKind.String && rule.Domain is { } lookup && InDomain(value, lookup) is { Length: <= MaxStringLength } known)
        {
            return known;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            AddError(ref errors, new FieldError(prefix + field.Name, $"expected a JSON string, found {Kind(value)}."));
            return null;
        }

        // A value of the domain is answered with the domain's own string (compared on the UTF-8 bytes, escapes
        // included): no per-request string for the common case.
        var text = field.ValidValues is { } domain ? Canonical(value, domain) ?? value.GetString()! : value.GetString()!;
        if (field.ValidValues is { } values && !values.Contains(text))
        {
            AddError(ref errors, new FieldError(prefix + field.Name, $"'{Truncate(text)}' is not in the contract's domain: {string.Join(", ", values)}."));
            return null;
        }

        if (text.Length > MaxStringLength)
        {
            AddError(ref errors, new FieldError(prefix + field.Name, $"the value is {text.Length} characters long; the limit is {MaxStringLength}."));
            return null;
        }

        return text;
    }

    /// <summary>The rule for a property, looked up without allocating its name (names with JSON escapes fall back to decoding).</summary>
    private Rule? FindRule(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length <= 64 && raw.IndexOf((byte)'\\') < 0)
        {
            Span<char> chars = stackalloc char[64];
            if (System.Text.Encoding.UTF8.TryGetChars(raw, chars, out var written))
            {
                return rulesBySpan.TryGetValue(chars[..written], out var found) ? found : null;
            }
        }

        return rules.TryGetValue(property.Name, out var rule) ? rule : null;
    }

    /// <summary>
    /// The domain's own string for a value without escapes, found by one hash lookup on its characters (no string made);
    /// null for anything else, which then takes the general path.
    /// </summary>
    private static string? InDomain(JsonElement value, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> domain)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length >= 2 && raw[0] == (byte)'"' && raw[^1] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        if (raw.Length > 128 || raw.IndexOf((byte)'\\') >= 0)
        {
            return null;
        }

        Span<char> chars = stackalloc char[128];
        return System.Text.Encoding.UTF8.TryGetChars(raw, chars, out var written) && domain.TryGetValue(chars[..written], out var known) ? known : null;
    }

    private static string? Canonical(JsonElement value, IReadOnlySet<string> domain)
    {
        foreach (var candidate in domain)
        {
            if (value.ValueEquals(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Format(double? bound) => bound?.ToString(CultureInfo.InvariantCulture) ?? "any";

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static string Describe(JsonException ex)
    {
        // System.Text.Json's messages end with a path/position suffix we already report; keep the first sentence.
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private sealed record Rule(ContractField Field, RuleKind Kind, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>? Domain);
}
