using System.Text.Json.Nodes;
using Tollgate.Core.IO;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Data;
using Tollgate.Modeling.Evaluation;
using Tollgate.Modeling.Reports;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Training;

namespace Tollgate.Modeling.Stages;

/// <summary>
/// Holdout-Validate: scores the holdout with the model Train fitted before it, scores the naive baseline on the same
/// rows, applies model.yaml's gates (with bootstrap intervals, calibration and slices in the report) and, only if every
/// gate passes, retrains on all data and writes the release candidate. A rejected model leaves no candidate.
/// </summary>
public static class HoldoutValidateStage
{
    public static StageReport Run(ModelingContext context, HoldoutValidateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = context.Spec;
        var run = context.Run;
        var errors = new SpecErrors();
        options ??= HoldoutValidateOptions.FromSpec(spec, errors);
        var slices = SliceSpec.FromSpec(spec, errors);
        errors.ThrowIfAny();
        run.RequirePassed(StageName.Train);
        CandidateWriter.Remove(context);
        var dir = run.StageDir(StageName.HoldoutValidate);

        var data = RunData.Load(context, checkTrainSplit: true, extraColumns: slices.Select(s => s.Column).ToList());
        var holdout = data.HoldoutTable();
        var features = new FeatureSchema(spec.NumericFeatures, spec.CategoricalFeatures);
        context.Log.Info($"scoring {holdout.Count} holdout rows from {TimeSplit.Format(data.Split.HoldoutStart)}");
        double[] scores;
        using (var model = TrainedModel.Load(Path.Combine(run.Root, StageName.Train, TrainStage.ModelFileName), features, spec.Task))
        {
            scores = model.Score(holdout.Features).Scores;
        }

        var labels = holdout.Labels;
        var (baseline, baselineText) = NaiveBaseline.Predict(spec, data.Table, data.Train, data.Holdout);
        const double threshold = 0.5;
        var modelMetrics = MetricCalculator.Compute(spec.Task, labels, scores, threshold);
        var baselineMetrics = MetricCalculator.Compute(spec.Task, labels, baseline, threshold);
        var gated = spec.Gates.Minimum.Keys.Concat(spec.Gates.Maximum.Keys).Concat(spec.Gates.MinimumGainOverBaseline.Keys).ToHashSet();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (modelCi, gainCi) = options.BootstrapResamples > 0
            ? Bootstrap.Intervals(spec.Task, labels, scores, baseline, threshold, [.. MetricCatalog.NamesFor(spec.Task)], options.BootstrapResamples, options.Confidence, spec.Seed)
            : ([], []);

        context.Log.Info($"bootstrap ({options.BootstrapResamples} resamples): {watch.Elapsed.TotalSeconds:0.0} s");
        var checks = GateEvaluator.Evaluate(spec.Task, spec.Gates, modelMetrics, baselineMetrics, gainCi);
        if (options.RequireSignificantGain)
        {
            checks.AddRange(SignificanceChecks(spec, gainCi, options));
        }

        var sliceResults = SliceEvaluator.Evaluate(spec, slices, holdout, scores, threshold);
        checks.AddRange(sliceResults.SelectMany(r => r.Checks));
        var calibration = spec.Task == TaskKind.BinaryClassification ? CalibrationBin.Compute(labels, scores) : [];
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, v) in modelMetrics)
        {
            metrics[k] = v;
            metrics["baseline." + k] = baselineMetrics[k];
            if (modelCi.TryGetValue(k, out var ci))
            {
                metrics[k + ".ciLow"] = ci.Low;
                metrics[k + ".ciHigh"] = ci.High;
            }
        }

        metrics["holdoutRows"] = holdout.Count;
        if (calibration.Count > 0)
        {
            metrics["calibrationError"] = CalibrationBin.ExpectedError(calibration);
        }

        new HoldoutScores(holdout.Keys, holdout.Timestamps, labels, scores, baseline).Write(Path.Combine(dir, HoldoutScores.FileName));
        var outcome = StageReport.OutcomeOf(checks);
        var outputs = new List<string> { HoldoutScores.FileName, "report.html" };
        if (outcome == StageOutcome.Passed)
        {
            CandidateWriter.Write(context, data, trainedAt => new CandidateMetadata
            {
                Model = spec.Name,
                Version = run.RunId,
                RunId = run.RunId,
                Task = TaskNames.Of(spec.Task),
                SpecPath = spec.SpecPath,
                SpecSha256 = spec.SpecSha256,
                ContractPath = spec.ContractPath,
                Trainer = spec.Trainer.Name,
                Hyperparameters = ModelTrainer.EffectiveHyperparameters(spec),
                Seed = spec.Seed,
                Features = features,
                LabelColumn = spec.LabelColumn,
                PositiveClass = spec.PositiveClass,
                TimestampColumn = spec.TimestampColumn,
                KeyColumns = spec.KeyColumns,
                Baseline = spec.Baseline,
                HoldoutMetrics = modelMetrics,
                BaselineMetrics = baselineMetrics,
                Holdout = data.Split.Rule,
                DataPeriodStart = TimeSplit.Format(data.Split.TrainStart),
                DataPeriodEnd = TimeSplit.Format(data.Split.HoldoutEnd),
                HoldoutPeriodStart = TimeSplit.Format(data.Split.HoldoutStart),
                TrainingRows = data.Table.Count,
                TrainedAt = trainedAt,
                Commit = run.Manifest.GitCommit,
                Threshold = threshold,
                ThresholdSource = "default",
            });
        }

        var blocking = checks.Where(c => c.IsBlocking).ToList();
        var headline = string.Join(", ", gated.Where(modelMetrics.ContainsKey).Select(m => $"{m} {GateEvaluator.F(modelMetrics[m])} (baseline {GateEvaluator.F(baselineMetrics[m])})"));
        var summary = outcome == StageOutcome.Passed
            ? $"passed all {checks.Count} gates on {holdout.Count} holdout rows: {headline}; release candidate retrained on all {data.Table.Count} rows"
            : $"rejected by {blocking.Count} gate(s): {string.Join(" ", blocking.Select(c => c.Message))} No release candidate written.";
        var report = new StageReport
        {
            Stage = StageName.HoldoutValidate,
            Model = spec.Name,
            Outcome = outcome,
            StartedAt = context.Time.GetUtcNow(),
            FinishedAt = context.Time.GetUtcNow(),
            Summary = summary,
            Checks = checks,
            Metrics = metrics,
            Outputs = outputs,
            Details = new JsonObject
            {
                ["baseline"] = baselineText,
                ["threshold"] = threshold,
                ["holdout"] = JsonNode.Parse(TollgateJson.Serialize(data.Split)),
                ["confusionMatrix"] = spec.Task == TaskKind.BinaryClassification
                    ? JsonNode.Parse(TollgateJson.Serialize(ConfusionMatrix.At(labels, scores, threshold)))
                    : null,
                ["calibration"] = JsonNode.Parse(TollgateJson.Serialize(calibration)),
                ["slices"] = JsonNode.Parse(TollgateJson.Serialize(sliceResults.Select(r => new { r.Name, r.Groups }))),
                ["candidate"] = outcome == StageOutcome.Passed ? run.CandidateDir : null,
            },
        };
        HoldoutValidateHtml.Write(Path.Combine(dir, "report.html"), report, spec, labels, scores, baseline, calibration, sliceResults, modelCi);
        RunSummaryHtml.Write(run, report);
        return report;
    }

    private static IEnumerable<CheckResult> SignificanceChecks(ModelSpec spec, Dictionary<string, (double Low, double High)> gainCi, HoldoutValidateOptions options)
    {
        foreach (var metric in spec.Gates.MinimumGainOverBaseline.Keys)
        {
            var (low, high) = gainCi.GetValueOrDefault(metric, (double.NaN, double.NaN));
            var ok = low > 0;
            yield return new CheckResult(
                $"gate.{metric}.gainSignificant",
                Severity.Error,
                ok ? CheckStatus.Passed : CheckStatus.Failed,
                ok
                    ? $"{metric} gain over the baseline is above zero across the {options.Confidence * 100:0}% bootstrap interval ({GateEvaluator.F(low)} to {GateEvaluator.F(high)})."
                    : $"{metric} gain over the baseline could be noise: its {options.Confidence * 100:0}% bootstrap interval ({GateEvaluator.F(low)} to {GateEvaluator.F(high)}) reaches zero.",
                metric,
                $"[{GateEvaluator.F(low)}, {GateEvaluator.F(high)}]",
                "lower bound > 0");
        }
    }
}
