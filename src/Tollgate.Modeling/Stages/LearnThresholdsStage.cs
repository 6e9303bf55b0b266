using System.Globalization;
using System.Text.Json.Nodes;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Evaluation;
using Tollgate.Modeling.Reports;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Thresholds;

namespace Tollgate.Modeling.Stages;

/// <summary>
/// Learn-Thresholds: chooses the decision threshold from the holdout scores Holdout-Validate saved (scores of the model
/// that had not seen the holdout), per model.yaml's <c>thresholds:</c> requirement, searching every distinct score.
/// Writes the threshold into the candidate (<c>threshold.json</c> and candidate.json), so it rolls back with the model.
/// A requirement no threshold meets rejects the candidate (exit 3) and names the best achievable value.
/// </summary>
public static class LearnThresholdsStage
{
    public const string CurveFileName = "curve.csv";

    public static StageReport Run(ModelingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = context.Spec;
        var run = context.Run;
        var errors = new SpecErrors();
        var requirement = ThresholdRequirement.FromSpec(spec, errors);
        errors.ThrowIfAny();
        run.RequirePassed(StageName.HoldoutValidate);
        var dir = run.StageDir(StageName.LearnThresholds);
        var metaPath = Path.Combine(run.CandidateDir, CandidateMetadata.FileName);
        if (!File.Exists(metaPath))
        {
            throw new ConfigurationException($"{run.CandidateDir}: no release candidate in this run; holdout-validate writes it when the model passes.");
        }

        var metadata = TollgateJson.ReadFile<CandidateMetadata>(metaPath);
        if (spec.Task != TaskKind.BinaryClassification || requirement is null)
        {
            var reason = spec.Task != TaskKind.BinaryClassification
                ? $"a {TaskNames.Of(spec.Task)} model has no decision threshold"
                : $"{spec.SpecPath} has no 'thresholds:' section, so the candidate keeps its threshold {metadata.Threshold.ToString("0.####", CultureInfo.InvariantCulture)} (add e.g. 'thresholds: {{ objective: precision, minimum: {{ recall: 0.6 }} }}')";
            return Report(context, StageOutcome.Skipped, reason, [], new Dictionary<string, double>(), [], null);
        }

        var scoresPath = Path.Combine(run.Root, StageName.HoldoutValidate, HoldoutScores.FileName);
        var scores = HoldoutScores.Read(scoresPath);
        var curve = ThresholdCurve.Build(scores.Labels, scores.Scores);
        var points = ThresholdSearch.Points(curve, requirement);
        WriteCurve(Path.Combine(dir, CurveFileName), points);
        context.Log.Info($"searching {points.Count} distinct holdout scores for: {requirement}");
        var chosen = ThresholdSearch.Choose(points, requirement);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["distinctScores"] = points.Count };
        List<CheckResult> checks;
        if (chosen is null)
        {
            var best = ThresholdSearch.BestAchievable(points, requirement);
            var bestText = string.Join("; ", best.Select(kv =>
                requirement.Minimum.Count > 1
                    ? $"best {kv.Key} while the other floors hold: {GateEvaluator.F(kv.Value)}"
                    : $"best achievable {kv.Key}: {GateEvaluator.F(kv.Value)}"));
            checks =
            [
                new CheckResult(
                    "threshold.requirement",
                    Severity.Error,
                    CheckStatus.Failed,
                    $"no threshold on the holdout meets '{requirement}' ({bestText}); relax the requirement in {spec.SpecPath} or improve the model.",
                    null,
                    bestText,
                    requirement.ToString()),
            ];
            foreach (var (k, v) in best)
            {
                metrics["bestAchievable." + k] = v;
            }

            return Report(context, StageOutcome.Rejected, "rejected: " + checks[0].Message, checks, metrics, points, null, curve);
        }

        var holdout = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["precision"] = chosen.Precision,
            ["recall"] = chosen.Recall,
            ["f1"] = chosen.F1,
            ["falsePositiveRate"] = chosen.FalsePositiveRate,
            ["cost"] = chosen.Cost,
            ["predictedPositiveShare"] = chosen.PredictedPositive / (double)scores.Labels.Length,
        };
        var record = new ThresholdRecord
        {
            Threshold = chosen.Threshold,
            Requirement = requirement.ToString(),
            Objective = requirement.Objective,
            Minimum = requirement.Minimum,
            Holdout = holdout,
            ScoresSha256 = Sha256.OfFile(scoresPath),
            RunId = run.RunId,
            LearnedAt = context.Time.GetUtcNow(),
        };
        TollgateJson.WriteFile(Path.Combine(run.CandidateDir, CandidateModel.ThresholdFileName), record);
        TollgateJson.WriteFile(metaPath, metadata with { Threshold = chosen.Threshold, ThresholdSource = "learn-thresholds: " + requirement });
        metrics["threshold"] = chosen.Threshold;
        foreach (var (k, v) in holdout)
        {
            metrics[k] = v;
        }

        checks =
        [
            new CheckResult(
                "threshold.requirement",
                Severity.Error,
                CheckStatus.Passed,
                $"threshold {GateEvaluator.F(chosen.Threshold)} meets '{requirement}' on the holdout: precision {GateEvaluator.F(chosen.Precision)}, recall {GateEvaluator.F(chosen.Recall)}, f1 {GateEvaluator.F(chosen.F1)}.",
                null,
                $"precision {GateEvaluator.F(chosen.Precision)}, recall {GateEvaluator.F(chosen.Recall)}",
                requirement.ToString()),
        ];
        return Report(
            context,
            StageOutcome.Passed,
            $"threshold {GateEvaluator.F(chosen.Threshold)} (was {GateEvaluator.F(metadata.Threshold)}) for '{requirement}': precision {GateEvaluator.F(chosen.Precision)}, recall {GateEvaluator.F(chosen.Recall)} on {scores.Labels.Length} holdout rows; stored in the candidate",
            checks,
            metrics,
            points,
            chosen,
            curve);
    }

    private static StageReport Report(
        ModelingContext context,
        StageOutcome outcome,
        string summary,
        List<CheckResult> checks,
        Dictionary<string, double> metrics,
        IReadOnlyList<ThresholdPoint> points,
        ThresholdPoint? chosen,
        ThresholdCurve? curve = null)
    {
        var report = new StageReport
        {
            Stage = StageName.LearnThresholds,
            Model = context.Spec.Name,
            Outcome = outcome,
            StartedAt = context.Time.GetUtcNow(),
            FinishedAt = context.Time.GetUtcNow(),
            Summary = summary,
            Checks = checks,
            Metrics = metrics,
            Outputs = points.Count > 0 ? [CurveFileName, "report.html"] : ["report.html"],
            Details = new JsonObject
            {
                ["threshold"] = chosen?.Threshold,
                ["candidate"] = chosen is null ? null : context.Run.CandidateDir,
            },
        };
        var html = new Core.Reports.HtmlReport($"Learn-Thresholds — {report.Model}").Outcome(outcome, summary).Checks(checks);
        if (curve is not null && points.Count > 0)
        {
            var t = chosen?.Threshold ?? 0.5;
            var label = chosen is null ? "0.5 (unchanged)" : $"chosen {GateEvaluator.F(t)}";
            var thin = points.Count > 600 ? points.Where((_, i) => i % (points.Count / 500) == 0).ToList() : [.. points];
            html.Charts(
                CurveCharts.PrecisionRecall(curve, t, label, curve.Positives / (double)(curve.Positives + curve.Negatives)),
                CurveCharts.Roc(curve, t, label),
                Core.Reports.SvgChart.Lines(
                    "Precision and recall by threshold",
                    "threshold",
                    "value",
                    [
                        new Core.Reports.ChartSeries("precision", [.. thin.Select(p => p.Threshold)], [.. thin.Select(p => p.Precision)]),
                        new Core.Reports.ChartSeries("recall", [.. thin.Select(p => p.Threshold)], [.. thin.Select(p => p.Recall)]),
                    ],
                    markers: chosen is null ? null : [(chosen.Threshold, chosen.Recall, "chosen")],
                    xRange: (0, 1),
                    yRange: (0, 1)));
        }

        html.Save(Path.Combine(context.Run.StageDir(StageName.LearnThresholds), "report.html"));
        RunSummaryHtml.Write(context.Run, report);
        return report;
    }

    private static void WriteCurve(string path, IReadOnlyList<ThresholdPoint> points)
    {
        var lines = new List<string> { "threshold,precision,recall,f1,falsePositiveRate,cost,predictedPositive" };
        lines.AddRange(points.Select(p => string.Join(',',
            p.Threshold.ToString("R", CultureInfo.InvariantCulture),
            p.Precision.ToString("R", CultureInfo.InvariantCulture),
            p.Recall.ToString("R", CultureInfo.InvariantCulture),
            p.F1.ToString("R", CultureInfo.InvariantCulture),
            p.FalsePositiveRate.ToString("R", CultureInfo.InvariantCulture),
            p.Cost.ToString("R", CultureInfo.InvariantCulture),
            p.PredictedPositive.ToString(CultureInfo.InvariantCulture))));
        AtomicFile.WriteAllText(path, string.Join('\n', lines) + "\n");
    }
}
