using System.Text.Json;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Data.Checks;
using Tollgate.Data.Contracts;
using Tollgate.Data.Profiles;
using Tollgate.Data.Scanning;

namespace Tollgate.Data.Skew;

/// <summary>
/// Training–serving skew: the model server's log (JSON Lines, one scored request per line:
/// <c>{"timestamp":…, "received":{feature: value…}, "processed":{feature: value…}, "output":{…}}</c>) is profiled
/// with the same code as a dump, then (1) the features as received are compared with the training data (same drift
/// statistics and thresholds as the data checks), and (2) the features after processing are compared with those
/// received: a value the server changed (a category mapped to missing, a number clipped) is skew the model sees.
/// </summary>
public static class SkewChecks
{
    public static void Evaluate(CheckList checks, DumpProfile training, string logPath, ModelSpec spec, DataContract contract)
    {
        var rule = contract.Settings(CustomCheck.Skew, null);
        var severity = rule?.Severity ?? Severity.Warning;
        var shown = Path.GetFileName(logPath);
        if (!File.Exists(logPath))
        {
            throw new Core.Errors.ConfigurationException($"{logPath}: serving log not found. Pass --serving-log with a JSON Lines file written by the model server.");
        }

        var plan = new ScanPlan { Contract = contract, CategoricalColumns = new HashSet<string>(spec.CategoricalFeatures, StringComparer.Ordinal) };
        var features = spec.AllFeatures.Where(f => contract.Column(f) is not null).ToList();
        var received = features.ToDictionary(f => f, f => new ColumnState(contract.Column(f)!, ScanState.KindOf(contract.Column(f)!, plan), plan), StringComparer.Ordinal);
        var processed = features.ToDictionary(f => f, f => new ColumnState(contract.Column(f)!, ScanState.KindOf(contract.Column(f)!, plan), plan), StringComparer.Ordinal);
        var changed = features.ToDictionary(f => f, _ => new IssueSamples(), StringComparer.Ordinal);
        var bad = new IssueSamples();
        long records = 0;
        long line = 0;
        foreach (var text in File.ReadLines(logPath))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("received", out var r) || r.ValueKind != JsonValueKind.Object)
                {
                    bad.Add(line, "no 'received' object");
                    continue;
                }

                records++;
                var hasProcessed = doc.RootElement.TryGetProperty("processed", out var p) && p.ValueKind == JsonValueKind.Object;
                foreach (var f in features)
                {
                    var rv = Value(r, f);
                    received[f].Add(rv, line, false);
                    if (hasProcessed)
                    {
                        var pv = Value(p, f);
                        processed[f].Add(pv, line, false);
                        if (!Same(rv, pv))
                        {
                            changed[f].Add(line, $"{rv} → {pv}");
                        }
                    }
                }
            }
            catch (JsonException ex)
            {
                bad.Add(line, ex.Message.Split('.')[0]);
            }
        }

        if (bad.Count > 0 || records == 0)
        {
            checks.Fail(CheckIds.SkewLog, severity,
                $"{shown}:{(bad.First.Count > 0 ? bad.First[0].Line : 1)}: {records} usable record(s), {bad.Count} unreadable: {bad.Describe()}. The log must hold one JSON object per line with 'received' (and 'processed') objects.",
                observed: $"{records} records, {bad.Count} bad", expected: "JSON Lines in the documented format");
            if (records == 0)
            {
                return;
            }
        }
        else
        {
            checks.Pass(CheckIds.SkewLog, severity, $"{shown}: {records} serving records read.", observed: $"{records} records");
        }

        var maxChanged = rule?.Number("maxChangedRate", 0.01) ?? 0.01;
        foreach (var f in features)
        {
            var trainingColumn = training.Column(f);
            var recProfile = received[f].ToProfile();
            if (trainingColumn is not null && HistoryChecks.DriftResult(shown, recProfile, trainingColumn, rule, "the training data") is { } drift)
            {
                checks.Add(drift with { Id = CheckIds.SkewReceived, Severity = severity });
            }

            var rate = records == 0 ? 0 : changed[f].Count / (double)records;
            var observed = $"{rate:P2} changed";
            var expected = $"≤ {maxChanged:P0}";
            if (rate > maxChanged)
            {
                checks.Fail(CheckIds.SkewProcessed, severity,
                    $"{shown}:{changed[f].First[0].Line}: feature '{f}' is changed by the server's processing in {rate:P1} of requests ({changed[f].Describe()}): the model sees other values than were sent. Align the server's featurisation with training.",
                    f, observed, expected);
            }
            else
            {
                checks.Pass(CheckIds.SkewProcessed, severity, $"{shown}: feature '{f}' unchanged by processing in {1 - rate:P1} of requests.", f, observed, expected);
            }
        }
    }

    private static string Value(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v))
        {
            return string.Empty;
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? string.Empty,
            JsonValueKind.Null => string.Empty,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => v.GetRawText(),
        };
    }

    private static bool Same(string a, string b) =>
        a == b || (double.TryParse(a, System.Globalization.CultureInfo.InvariantCulture, out var x)
                   && double.TryParse(b, System.Globalization.CultureInfo.InvariantCulture, out var y)
                   && Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)));
}
