using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Stages;

namespace Tollgate.Data.Contracts;

/// <summary>
/// Loads an ODCS v3.1 contract: YAML → JSON, checked against the embedded ODCS JSON schema (exit 2 naming file, line and
/// schema path), then read into a <see cref="DataContract"/> with every semantic problem reported at once.
/// </summary>
public static class ContractLoader
{
    private static readonly string[] LibraryMetrics = ["nullValues", "missingValues", "invalidValues", "duplicateValues", "rowCount"];

    /// <summary>Loads <paramref name="path"/>; <paramref name="displayPath"/> is how messages name it (repo-relative).</summary>
    public static DataContract Load(string path, string? displayPath = null)
    {
        var shown = displayPath ?? path;
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"{shown}: data contract not found. Create it, or fix data.contract in model.yaml.");
        }

        var text = File.ReadAllText(path);
        return Parse(text, shown, Sha256.OfText(text));
    }

    public static DataContract Parse(string yaml, string source, string? sha256 = null)
    {
        var (json, lines) = YamlJson.Convert(yaml, source);
        var schemaErrors = OdcsSchema.Validate(json);
        if (schemaErrors.Count > 0)
        {
            throw new ConfigurationException(schemaErrors.Take(5).Select(e =>
                $"{source}:{LineOf(lines, e.InstancePointer)}: not valid ODCS v3.1.0 at {(e.InstancePointer.Length == 0 ? "/" : e.InstancePointer)}: {e.Message} (schema path {e.SchemaPath}). Fix the key against https://bitol-io.github.io/open-data-contract-standard/v3.1.0/.")
                .ToList());
        }

        var reader = new Reader(source, lines);
        var contract = reader.Read((JsonObject)json!, sha256 ?? Sha256.OfText(yaml));
        if (reader.Errors.Count > 0)
        {
            throw new ConfigurationException(reader.Errors);
        }

        return contract;
    }

    internal static int LineOf(IReadOnlyDictionary<string, int> lines, string pointer)
    {
        var p = pointer.Length == 0 ? "/" : pointer;
        while (true)
        {
            if (lines.TryGetValue(p, out var line))
            {
                return line;
            }

            var cut = p.LastIndexOf('/');
            if (cut <= 0)
            {
                return lines.TryGetValue("/", out var root) ? root : 1;
            }

            p = p[..cut];
        }
    }

    private sealed class Reader(string source, IReadOnlyDictionary<string, int> lines)
    {
        public List<string> Errors { get; } = [];

        public DataContract Read(JsonObject root, string sha)
        {
            var schema = root["schema"] as JsonArray;
            if (schema is null || schema.Count != 1 || schema[0] is not JsonObject table)
            {
                Error("/schema", "Tollgate validates one table per contract: declare exactly one schema object with its properties.");
                return Empty(root, sha);
            }

            var columns = new List<ColumnContract>();
            if (table["properties"] is not JsonArray props || props.Count == 0)
            {
                Error("/schema/0", "the table declares no properties (columns).");
            }
            else
            {
                for (var i = 0; i < props.Count; i++)
                {
                    if (ReadColumn((JsonObject)props[i]!, $"/schema/0/properties/{i}") is { } c)
                    {
                        columns.Add(c);
                    }
                }
            }

            foreach (var dup in columns.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                Errors.Add($"{source}:{dup.Last().Line}: column '{dup.Key}' is declared twice; keep one.");
            }

            var tableRules = ReadRules(table["quality"] as JsonArray, "/schema/0/quality", null);
            var all = tableRules.Concat(columns.SelectMany(c => c.Quality)).ToList();
            foreach (var dup in all.GroupBy(r => r.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                Errors.Add($"{source}:{dup.Last().Line}: quality rule id '{dup.Key}' is used twice; check ids must be unique.");
            }

            return new DataContract
            {
                Id = Str(root, "id") ?? "unnamed",
                Version = Str(root, "version") ?? "0",
                Path = source,
                Sha256 = sha,
                Format = ReadFormat(root),
                SeverityOverrides = ReadSeverities(root),
                Columns = columns,
                TableRules = tableRules,
            };
        }

        private DataContract Empty(JsonObject root, string sha) => new()
        {
            Id = Str(root, "id") ?? "unnamed",
            Version = Str(root, "version") ?? "0",
            Path = source,
            Sha256 = sha,
            Format = FileFormat.Default,
            Columns = [],
        };

        private ColumnContract? ReadColumn(JsonObject p, string pointer)
        {
            var name = Str(p, "name");
            if (string.IsNullOrEmpty(name))
            {
                Error(pointer, "a property without a name.");
                return null;
            }

            var typeText = Str(p, "logicalType") ?? "string";
            var type = typeText switch
            {
                "string" => LogicalType.String,
                "integer" => LogicalType.Integer,
                "number" => LogicalType.Number,
                "date" => LogicalType.Date,
                "timestamp" => LogicalType.Timestamp,
                "boolean" => LogicalType.Boolean,
                _ => LogicalType.Other,
            };
            var options = p["logicalTypeOptions"] as JsonObject;
            var quality = ReadRules(p["quality"] as JsonArray, pointer + "/quality", name);
            var column = new ColumnContract
            {
                Name = name,
                LogicalType = type,
                Required = Bool(p, "required"),
                Unique = Bool(p, "unique"),
                PrimaryKey = Bool(p, "primaryKey"),
                PrimaryKeyPosition = p["primaryKeyPosition"] is JsonValue pk && pk.TryGetValue<long>(out var pos) ? (int)pos : -1,
                Quality = quality,
                Line = LineOf(lines, pointer),
                Format = type is LogicalType.Date or LogicalType.Timestamp
                    ? Str(options, "format") ?? (type == LogicalType.Date ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss")
                    : Str(options, "format"),
                MinLength = options?["minLength"] is JsonValue a && a.TryGetValue<long>(out var mi) ? (int)mi : null,
                MaxLength = options?["maxLength"] is JsonValue b && b.TryGetValue<long>(out var ma) ? (int)ma : null,
            };

            if (column.IsNumeric)
            {
                column = column with { Minimum = Num(options, "minimum", pointer), Maximum = Num(options, "maximum", pointer) };
            }
            else if (column.IsDate)
            {
                column = column with
                {
                    MinimumDate = Date(options, "minimum", pointer, column.Format!),
                    MaximumDate = Date(options, "maximum", pointer, column.Format!),
                };
            }

            if (Str(options, "pattern") is { } pattern)
            {
                try
                {
                    column = column with { Pattern = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.ECMAScript, TimeSpan.FromSeconds(1)) };
                }
                catch (ArgumentException ex)
                {
                    Error(pointer + "/logicalTypeOptions/pattern", $"not a valid regular expression ({ex.Message}).");
                }
            }

            var domain = quality.FirstOrDefault(r => r.Metric == "invalidValues" && r.Arguments?["validValues"] is JsonArray);
            if (domain is not null)
            {
                column = column with { ValidValues = Strings((JsonArray)domain.Arguments!["validValues"]!).ToHashSet(StringComparer.Ordinal) };
            }

            var missing = quality.FirstOrDefault(r => r.Metric == "missingValues" && r.Arguments?["missingValues"] is JsonArray);
            if (missing is not null)
            {
                column = column with { MissingValues = Strings((JsonArray)missing.Arguments!["missingValues"]!).ToHashSet(StringComparer.Ordinal) };
            }

            return column;
        }

        private List<QualityRule> ReadRules(JsonArray? rules, string pointer, string? column)
        {
            var list = new List<QualityRule>();
            if (rules is null)
            {
                return list;
            }

            for (var i = 0; i < rules.Count; i++)
            {
                var at = $"{pointer}/{i}";
                if (rules[i] is not JsonObject r)
                {
                    continue;
                }

                var type = Str(r, "type") ?? (r["metric"] is not null ? "library" : "text");
                var metric = Str(r, "metric") ?? Str(r, "rule");
                var severityText = Str(r, "severity");
                var engine = Str(r, "engine");
                var settings = r["implementation"] as JsonObject;
                var check = type == "custom" && engine == "tollgate" ? Str(settings, "check") : null;
                var defaultSeverity = check is null or CustomCheck.Sha256 or CustomCheck.Hmac or CustomCheck.Leak ? Severity.Error : Severity.Warning;
                var severity = severityText switch
                {
                    null => defaultSeverity,
                    "error" => Severity.Error,
                    "warning" => Severity.Warning,
                    "info" => Severity.Info,
                    _ => Invalid(at + "/severity", $"severity '{severityText}' is not one of error, warning, info.", defaultSeverity),
                };
                var id = Str(r, "id") ?? $"{column ?? "table"}.{check ?? metric ?? type}";
                if (type == "library")
                {
                    if (metric is null || !LibraryMetrics.Contains(metric))
                    {
                        Error(at, $"library metric '{metric}' is not one of {string.Join(", ", LibraryMetrics)}.");
                        continue;
                    }

                    if (metric == "rowCount" && column is not null)
                    {
                        Error(at, "rowCount is a table-level metric: move it to schema[0].quality.");
                    }
                }
                else if (type == "custom" && engine == "tollgate")
                {
                    if (check is null || !CustomCheck.All.Contains(check))
                    {
                        Error(at + "/implementation", $"tollgate check '{check}' is unknown; use one of: {string.Join(", ", CustomCheck.All)}.");
                        continue;
                    }
                }

                list.Add(new QualityRule
                {
                    Id = id,
                    Column = column,
                    Type = type == "custom" && engine != "tollgate" ? "custom-other" : type,
                    Metric = metric,
                    Operator = ReadOperator(r, at),
                    Unit = Str(r, "unit") ?? "rows",
                    Severity = severity,
                    Arguments = r["arguments"] as JsonObject,
                    Check = check,
                    Settings = settings,
                    Description = Str(r, "description"),
                    Line = LineOf(lines, at),
                });
            }

            return list;
        }

        private RuleOperator? ReadOperator(JsonObject r, string at)
        {
            foreach (var name in RuleOperator.Names)
            {
                switch (r[name])
                {
                    case null:
                        continue;
                    case JsonArray { Count: 2 } pair when pair[0] is JsonValue lo && pair[1] is JsonValue hi
                        && QualityRule.JsonNumber(lo) is { } low && QualityRule.JsonNumber(hi) is { } high:
                        return new RuleOperator(name, low, high);
                    case JsonValue v when QualityRule.JsonNumber(v) is { } d:
                        return new RuleOperator(name, d);
                    default:
                        Error(at + "/" + name, $"{name} needs a number for Tollgate to compare the measured value with.");
                        return null;
                }
            }

            return null;
        }

        private FileFormat ReadFormat(JsonObject root)
        {
            var custom = root["customProperties"] as JsonArray;
            var index = custom?.Select((n, i) => (n, i)).FirstOrDefault(x => Str(x.n as JsonObject, "property") == "tollgate.format");
            if (index?.n is not JsonObject prop || prop["value"] is not JsonObject v)
            {
                return FileFormat.Default;
            }

            var at = $"/customProperties/{index.Value.i}/value";
            var type = Str(v, "type") ?? "csv";
            if (type is not ("csv" or "tsv" or "jsonl"))
            {
                Error(at + "/type", $"format '{type}' is not one of csv, tsv, jsonl.");
                type = "csv";
            }

            var delimiterText = Str(v, "delimiter") ?? (type == "tsv" ? "\t" : ",");
            delimiterText = delimiterText == "\\t" ? "\t" : delimiterText;
            if (delimiterText.Length != 1)
            {
                Error(at + "/delimiter", $"delimiter '{delimiterText}' must be a single character.");
                delimiterText = ",";
            }

            var quoteText = Str(v, "quote") ?? "\"";
            if (quoteText.Length != 1)
            {
                Error(at + "/quote", $"quote '{quoteText}' must be a single character.");
                quoteText = "\"";
            }

            if (quoteText != "\"")
            {
                Error(at + "/quote", "only the double quote is supported as quote character (RFC 4180).");
            }

            var encoding = (Str(v, "encoding") ?? "utf-8").ToLowerInvariant();
            encoding = encoding is "latin-1" or "latin1" or "iso-8859-1" ? "iso-8859-1" : encoding;
            if (encoding is not ("utf-8" or "utf8" or "iso-8859-1"))
            {
                Error(at + "/encoding", $"encoding '{encoding}' is not supported; use utf-8 or iso-8859-1.");
            }

            var header = v["header"] is not JsonValue h || !h.TryGetValue<bool>(out var hb) || hb;
            if (!header && type != "jsonl")
            {
                Error(at + "/header", "dumps without a header line are not supported: columns are matched by name.");
            }

            return new FileFormat(type, delimiterText[0], quoteText[0], header, encoding, Str(v, "files") ?? $"*.{type}");
        }

        private Dictionary<string, Severity> ReadSeverities(JsonObject root)
        {
            var result = new Dictionary<string, Severity>(StringComparer.Ordinal);
            var custom = root["customProperties"] as JsonArray;
            for (var i = 0; custom is not null && i < custom.Count; i++)
            {
                if (Str(custom[i] as JsonObject, "property") != "tollgate.severity")
                {
                    continue;
                }

                if (custom[i]!["value"] is not JsonObject map)
                {
                    Error($"/customProperties/{i}/value", "tollgate.severity needs a mapping of check id to error|warning|info.");
                    continue;
                }

                foreach (var (check, value) in map)
                {
                    var text = value?.ToString();
                    Severity? severity = text switch { "error" => Severity.Error, "warning" => Severity.Warning, "info" => Severity.Info, _ => null };
                    if (severity is null)
                    {
                        Error($"/customProperties/{i}/value/{check}", $"severity '{text}' is not one of error, warning, info.");
                        continue;
                    }

                    result[check] = severity.Value;
                }
            }

            return result;
        }

        private double? Num(JsonObject? o, string key, string pointer)
        {
            if (o?[key] is not JsonValue v)
            {
                return null;
            }

            if (QualityRule.JsonNumber(v) is { } d)
            {
                return d;
            }

            Error($"{pointer}/logicalTypeOptions/{key}", $"{key} must be a number.");
            return null;
        }

        private DateOnly? Date(JsonObject? o, string key, string pointer, string format)
        {
            var text = Str(o, key);
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso)
                || DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out iso))
            {
                return iso;
            }

            Error($"{pointer}/logicalTypeOptions/{key}", $"'{text}' is not a date in yyyy-MM-dd or {format}.");
            return null;
        }

        private Severity Invalid(string pointer, string message, Severity fallback)
        {
            Error(pointer, message);
            return fallback;
        }

        private void Error(string pointer, string message) =>
            Errors.Add($"{source}:{LineOf(lines, pointer)}: {pointer}: {message}");

        private static IEnumerable<string> Strings(JsonArray array) =>
            array.Select(n => n is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : string.Empty);

        private static string? Str(JsonObject? o, string key) =>
            o?[key] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;

        private static bool Bool(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
    }
}
