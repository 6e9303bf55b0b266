using System.Diagnostics;
using System.Text.Json.Nodes;
using Tollgate.Core.IO;
using Tollgate.Core.Reports;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Data;
using Tollgate.Modeling.Training;

namespace Tollgate.Modeling.Stages;

/// <summary>
/// Train: reads the accepted dumps, splits them by time, checks the label and both sides of the split, and fits the
/// model on the rows before the holdout. Writes <c>train/model.zip</c>, <c>train/split.json</c> and <c>report.html</c>.
/// A label with a third value or a side of the split with a single class is a rejected result, not a crash.
/// </summary>
public static class TrainStage
{
    public const string ModelFileName = "model.zip";

    public static StageReport Run(ModelingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = context.Spec;
        var run = context.Run;
        run.RequirePassed(StageName.ValidateData);
        var dir = run.StageDir(StageName.Train);
        File.Delete(Path.Combine(dir, ModelFileName));
        File.Delete(Path.Combine(dir, SplitInfo.FileName));

        var data = RunData.Load(context, checkTrainSplit: false);
        var table = data.Table;
        var checks = new List<CheckResult>();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["trainRows"] = data.Train.Length,
            ["holdoutRows"] = data.Holdout.Length,
            ["dataDays"] = data.Split.DataDays,
        };
        checks.Add(new CheckResult(
            "split.time-order",
            Severity.Info,
            CheckStatus.Passed,
            $"training rows end {TimeSplit.Format(data.Split.TrainEnd)}, strictly before the holdout starts {TimeSplit.Format(data.Split.HoldoutStart)} ({data.Split.Rule}): no timestamp on both sides."));

        if (spec.Task == TaskKind.BinaryClassification)
        {
            checks.AddRange(LabelChecks(spec, table, data));
            metrics["trainPositiveRate"] = data.Train.Average(i => (double)table.Labels[i]);
            metrics["holdoutPositiveRate"] = data.Holdout.Average(i => (double)table.Labels[i]);
        }
        else
        {
            metrics["trainLabelMean"] = data.Train.Average(i => (double)table.Labels[i]);
            metrics["holdoutLabelMean"] = data.Holdout.Average(i => (double)table.Labels[i]);
        }

        var outputs = new List<string>();
        var outcome = StageReport.OutcomeOf(checks);
        if (outcome == StageOutcome.Passed)
        {
            context.Log.Info($"training {spec.Trainer.Name} on {data.Train.Length} rows before {TimeSplit.Format(data.Split.HoldoutStart)} (seed {spec.Seed})");
            var watch = Stopwatch.StartNew();
            var trainTable = table.Features.Select(data.Train);
            using (var model = new Scoring.TrainedModel(ModelTrainer.Fit(spec, trainTable), trainTable.Schema, spec.Task))
            {
                ModelTrainer.Save(model.Transformer, trainTable, spec.Task, Path.Combine(dir, ModelFileName));
            }

            metrics["trainSeconds"] = Math.Round(watch.Elapsed.TotalSeconds, 3);
            TollgateJson.WriteFile(Path.Combine(dir, SplitInfo.FileName), data.Split);
            outputs.AddRange([ModelFileName, SplitInfo.FileName]);
        }

        var summary = outcome == StageOutcome.Passed
            ? $"trained {spec.Trainer.Name} on {data.Train.Length} rows ({TimeSplit.Format(data.Split.TrainStart)} to {TimeSplit.Format(data.Split.TrainEnd)}); holdout {data.Holdout.Length} rows from {TimeSplit.Format(data.Split.HoldoutStart)}"
            : "not trained: " + string.Join(" ", checks.Where(c => c.IsBlocking).Select(c => c.Message));
        var report = new StageReport
        {
            Stage = StageName.Train,
            Model = spec.Name,
            Outcome = outcome,
            StartedAt = context.Time.GetUtcNow(),
            FinishedAt = context.Time.GetUtcNow(),
            Summary = summary,
            Checks = checks,
            Metrics = metrics,
            Outputs = [.. outputs, "report.html"],
            Details = new JsonObject
            {
                ["split"] = JsonNode.Parse(TollgateJson.Serialize(data.Split)),
                ["trainer"] = spec.Trainer.Name,
                ["hyperparameters"] = JsonNode.Parse(TollgateJson.Serialize(ModelTrainer.EffectiveHyperparameters(spec))),
                ["seed"] = spec.Seed,
            },
        };
        WriteHtml(dir, report, data);
        Reports.RunSummaryHtml.Write(run, report);
        return report;
    }

    private static IEnumerable<CheckResult> LabelChecks(ModelSpec spec, ModelTable table, RunData data)
    {
        var values = table.LabelValueCounts;
        var listed = string.Join(", ", values.OrderByDescending(kv => kv.Value).Select(kv => $"'{kv.Key}' ({kv.Value})"));
        var labelOk = values.Count == 2 && values.ContainsKey(spec.PositiveClass!);
        yield return new CheckResult(
            "data.label-values",
            Severity.Error,
            labelOk ? CheckStatus.Passed : CheckStatus.Failed,
            labelOk
                ? $"label '{spec.LabelColumn}' has exactly two values: {listed}."
                : !values.ContainsKey(spec.PositiveClass!)
                    ? $"label '{spec.LabelColumn}' never takes the positive class '{spec.PositiveClass}' (values: {listed}); fix label.positiveClass in {spec.SpecPath} or the data."
                    : $"label '{spec.LabelColumn}' has {values.Count} values ({listed}); a binary model needs exactly two. Fix or filter the rows with the extra value upstream.",
            spec.LabelColumn,
            listed,
            $"two values including '{spec.PositiveClass}'");

        foreach (var (side, rows) in new[] { ("train", data.Train), ("holdout", data.Holdout) })
        {
            var positives = rows.Count(i => table.Labels[i] > 0.5f);
            var ok = positives > 0 && positives < rows.Length;
            yield return new CheckResult(
                $"split.{side}-classes",
                Severity.Error,
                ok ? CheckStatus.Passed : CheckStatus.Failed,
                ok
                    ? $"the {side} rows hold both classes ({positives} positive of {rows.Length})."
                    : $"the {side} rows ({rows.Length}, {TimeSplit.Format(table.Timestamps[rows[0]])} to {TimeSplit.Format(table.Timestamps[rows[^1]])}) hold a single class ({positives} positive); a model cannot be {(side == "train" ? "trained" : "judged")} on them. Choose another holdout in {spec.SpecPath} or supply more data.",
                spec.LabelColumn,
                $"{positives} positive of {rows.Length}",
                "both classes");
        }
    }

    private static void WriteHtml(string dir, StageReport report, RunData data)
    {
        var table = data.Table;
        var months = Enumerable.Range(0, table.Count)
            .GroupBy(i => new DateTime(table.Timestamps[i].Year, table.Timestamps[i].Month, 1))
            .OrderBy(g => g.Key)
            .Select(g => (Month: g.Key, Mean: g.Average(i => (double)table.Labels[i]), Rows: g.Count()))
            .ToList();
        var x = months.Select(m => (double)((m.Month - months[0].Month).Days / 30.44)).ToList();
        var html = new HtmlReport($"Train — {report.Model}", $"split {data.Split.Rule}")
            .Outcome(report.Outcome, report.Summary)
            .Checks(report.Checks)
            .Heading("Split")
            .Table(
                ["side", "rows", "from", "to"],
                [
                    ["train", data.Split.TrainRows, TimeSplit.Format(data.Split.TrainStart), TimeSplit.Format(data.Split.TrainEnd)],
                    ["holdout", data.Split.HoldoutRows, TimeSplit.Format(data.Split.HoldoutStart), TimeSplit.Format(data.Split.HoldoutEnd)],
                ])
            .Charts(SvgChart.Lines(
                "Label mean per month (positive rate for binary)",
                $"months since {months[0].Month:yyyy-MM}",
                "label mean",
                [new ChartSeries("label mean", x, months.Select(m => m.Mean).ToList())],
                markers: [(((data.Split.HoldoutStart - months[0].Month).Days / 30.44), months.Last().Mean, "holdout starts")]))
            .Heading("Metrics")
            .Table(["metric", "value"], report.Metrics.Select(kv => (IReadOnlyList<object?>)[kv.Key, kv.Value]));
        html.Save(Path.Combine(dir, "report.html"));
    }
}
