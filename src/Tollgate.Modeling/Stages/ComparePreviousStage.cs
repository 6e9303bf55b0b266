using System.Text.Json.Nodes;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Comparison;
using Tollgate.Modeling.Data;
using Tollgate.Modeling.Evaluation;
using Tollgate.Modeling.Reports;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Training;

namespace Tollgate.Modeling.Stages;

/// <summary>
/// Compare-Previous: scores this run's holdout with the candidate and with the model in production, then gates on
/// metric drops (from the model validated on the holdout, on rows production never trained on when there are enough),
/// decision flips and large score changes (from the release candidate as it ships), and compares permutation importances
/// (a feature whose importance jumps is a possible leak; near-zero ones are prune candidates). With nothing in
/// production the stage is skipped and says so.
/// </summary>
public static class ComparePreviousStage
{
    public static StageReport Run(ModelingContext context, Core.Releases.ReleaseStore store)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        var spec = context.Spec;
        var run = context.Run;
        var errors = new SpecErrors();
        var options = ComparePreviousOptions.FromSpec(spec, store, errors);
        errors.ThrowIfAny();
        run.RequirePassed(StageName.HoldoutValidate);
        var dir = run.StageDir(StageName.ComparePrevious);
        File.Delete(Path.Combine(dir, PredictionDiff.FileName));
        var metaPath = Path.Combine(run.CandidateDir, CandidateMetadata.FileName);
        if (!File.Exists(metaPath))
        {
            throw new ConfigurationException($"{run.CandidateDir}: no release candidate in this run; holdout-validate writes it when the model passes.");
        }

        var candidateMeta = TollgateJson.ReadFile<CandidateMetadata>(metaPath);
        var production = options.Store.TryGetProduction(spec.Name);
        if (production is null)
        {
            return ComparePreviousHtml.Skipped(context, $"first release — no {spec.Name} model is in production (release store {options.Store.Root}), so there is nothing to compare with; the holdout gates alone decided.");
        }

        if (!options.HasGates)
        {
            throw new ConfigurationException(
                $"{spec.SpecPath}: 'compare': a model is in production but no comparison gate is configured. Gates fail closed: add e.g. 'compare: {{ maximumDrop: {{ auc: 0.02 }}, maximumFlipRate: 0.2 }}'.");
        }

        if (!Directory.Exists(production.ModelDir))
        {
            throw new ConfigurationException($"{Path.Combine(options.Store.ModelRoot(spec.Name), Core.Releases.ReleaseStore.ProductionFileName)}: production version {production.Version} points at {production.ModelDir}, which does not exist. Repair the release store or roll back.");
        }

        using var prod = CandidateModel.Load(production.ModelDir);
        if (prod.Task != spec.Task)
        {
            throw new ConfigurationException($"{production.ModelDir}: production is a {prod.Metadata.Task} model, the candidate a {TaskNames.Of(spec.Task)} one; they cannot be compared.");
        }

        var extra = prod.Features.All.Where(f => !spec.AllFeatures.Contains(f)).ToList();
        var data = RunData.Load(context, checkTrainSplit: true, extraColumns: extra);
        var holdout = data.HoldoutTable();
        var features = new FeatureSchema(spec.NumericFeatures, spec.CategoricalFeatures);
        using var candidate = TrainedModel.Load(Path.Combine(run.Root, StageName.Train, TrainStage.ModelFileName), features, spec.Task);
        context.Log.Info($"comparing with production {production.Version} (run {production.RunId}) on {holdout.Count} holdout rows");
        var candScores = candidate.Score(holdout.Features).Scores;
        var prodTable = holdout.FeaturesFor(prod.Features);
        var prodScores = prod.Model.Score(prodTable).Scores;
        var binary = spec.Task == TaskKind.BinaryClassification;
        var checks = new List<CheckResult>();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);

        // Production may have trained on part of this holdout; compare on the rows it never saw when there are enough.
        DateTime? prodEnd = DateTime.TryParse(prod.Metadata.DataPeriodEnd, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var end)
            ? end
            : null;
        var unseen = Enumerable.Range(0, holdout.Count).Where(i => prodEnd is null || holdout.Timestamps[i] > prodEnd).ToArray();
        var unseenUsable = unseen.Length >= options.MinimumUnseenRows
            && (!binary || (unseen.Any(i => holdout.Labels[i] > 0.5f) && unseen.Any(i => holdout.Labels[i] <= 0.5f)));
        var rows = unseenUsable ? unseen : [.. Enumerable.Range(0, holdout.Count)];
        checks.Add(new CheckResult(
            "compare.rows",
            Severity.Warning,
            unseenUsable || unseen.Length == holdout.Count ? CheckStatus.Passed : CheckStatus.Failed,
            unseenUsable
                ? $"metrics compared on the {unseen.Length} holdout rows after production's training data ended ({prod.Metadata.DataPeriodEnd}): neither model trained on them."
                : $"production trained on data up to {prod.Metadata.DataPeriodEnd}, so only {unseen.Length} holdout rows are new to it (fewer than {options.MinimumUnseenRows}); metrics are compared on all {holdout.Count} rows, production's are optimistic and metric drops only warn.",
            null,
            $"{rows.Length} rows",
            $">= {options.MinimumUnseenRows} unseen rows"));
        var labels = rows.Select(i => holdout.Labels[i]).ToArray();
        var candMetrics = MetricCalculator.Compute(spec.Task, labels, [.. rows.Select(i => candScores[i])], candidateMeta.Threshold);
        var prodMetrics = MetricCalculator.Compute(spec.Task, labels, [.. rows.Select(i => prodScores[i])], prod.Threshold);
        foreach (var (m, v) in candMetrics)
        {
            metrics["candidate." + m] = v;
            metrics["production." + m] = prodMetrics[m];
            metrics["delta." + m] = v - prodMetrics[m];
        }

        // Production trained on (most of) these rows: its metrics are optimistic, so a drop is reported but cannot block.
        var biased = !unseenUsable && unseen.Length < holdout.Count;
        checks.AddRange(MetricDropChecks(spec.Task, options, candMetrics, prodMetrics).Select(c => biased
            ? c with { Severity = Severity.Warning, Message = c.Message + " Not blocking: production trained on most of these rows, so its figures are optimistic." }
            : c));

        // Decisions users will see change: the release candidate as it will ship (retrained on all data) vs production.
        // With unchanged data and spec the two are the same model, so a rerun after a release flips nothing.
        using var shipped = CandidateModel.Load(run.CandidateDir);
        var shippedScores = shipped.Model.Score(holdout.Features).Scores;
        var diff = PredictionDiff.Create(
            holdout.Keys, holdout.Timestamps, holdout.Labels, prodScores, shippedScores,
            binary ? prod.Threshold : null, binary ? candidateMeta.Threshold : null);
        diff.Write(Path.Combine(dir, PredictionDiff.FileName));
        var largeShare = diff.ShareAbove(options.LargeChange);
        metrics["flipRate"] = diff.FlipRate;
        metrics["flips.positiveToNegative"] = diff.PositiveToNegative;
        metrics["flips.negativeToPositive"] = diff.NegativeToPositive;
        metrics["largeChangeShare"] = largeShare;
        metrics["meanAbsoluteDelta"] = diff.Delta.Select(Math.Abs).DefaultIfEmpty(0).Average();
        if (options.MaximumFlipRate is { } maxFlip && binary)
        {
            var ok = diff.FlipRate <= maxFlip;
            checks.Add(new CheckResult(
                "compare.flipRate",
                Severity.Error,
                ok ? CheckStatus.Passed : CheckStatus.Failed,
                ok
                    ? $"{diff.FlipRate:P1} of holdout decisions change ({diff.PositiveToNegative} positive→negative, {diff.NegativeToPositive} negative→positive), within {maxFlip:P1}."
                    : $"{diff.FlipRate:P1} of holdout decisions change ({diff.PositiveToNegative} positive→negative, {diff.NegativeToPositive} negative→positive at thresholds {GateEvaluator.F(prod.Threshold)} → {GateEvaluator.F(candidateMeta.Threshold)}), above the allowed {maxFlip:P1}; review {StageName.ComparePrevious}/{PredictionDiff.FileName} before releasing.",
                null,
                GateEvaluator.F(diff.FlipRate),
                $"<= {GateEvaluator.F(maxFlip)}"));
        }

        if (options.MaximumLargeChangeShare is { } maxLarge)
        {
            var ok = largeShare <= maxLarge;
            checks.Add(new CheckResult(
                "compare.largeChangeShare",
                Severity.Error,
                ok ? CheckStatus.Passed : CheckStatus.Failed,
                $"{largeShare:P1} of holdout rows change score by more than {GateEvaluator.F(options.LargeChange)}" + (ok ? $", within {maxLarge:P1}." : $", above the allowed {maxLarge:P1}; the largest changes are listed in {PredictionDiff.FileName}."),
                null,
                GateEvaluator.F(largeShare),
                $"<= {GateEvaluator.F(maxLarge)}"));
        }

        context.Log.Info("permutation importance for candidate and production");
        var candImportance = PermutationImportance.Compute(shipped.Model, holdout.Features, options.Permutations, spec.Seed);
        var prodImportance = PermutationImportance.Compute(prod.Model, prodTable, options.Permutations, spec.Seed);
        IReadOnlyList<FeatureImportance>? dropColumn = null;
        if (options.DropColumn)
        {
            var train = data.TrainTable();
            dropColumn = DropColumnImportance.Compute(spec, train.Features, holdout.Features, context.Log);
        }

        checks.AddRange(ImportanceChecks(options, candImportance, prodImportance));
        var prune = candImportance.Where(f => f.Share < options.PruneBelowShare).Select(f => f.Feature).ToList();
        checks.Add(new CheckResult(
            "importance.prune-candidates",
            Severity.Info,
            CheckStatus.Passed,
            prune.Count == 0
                ? $"every feature carries at least {options.PruneBelowShare:P1} of the candidate's permutation importance."
                : $"{prune.Count} feature(s) carry less than {options.PruneBelowShare:P1} of the candidate's importance and could be pruned: {string.Join(", ", prune)}.",
            null,
            string.Join(", ", prune)));

        var outcome = StageReport.OutcomeOf(checks);
        var blocking = checks.Where(c => c.IsBlocking).ToList();
        var summary = outcome == StageOutcome.Passed
            ? $"candidate vs production {production.Version}: " + string.Join(", ", candMetrics.Keys.Where(k => options.MaximumDrop.ContainsKey(k) || k is "auc" or "rmse").Select(k => $"{k} {GateEvaluator.F(candMetrics[k])} vs {GateEvaluator.F(prodMetrics[k])}")) + (binary ? $", {diff.FlipRate:P1} decisions flip" : string.Empty)
            : $"rejected against production {production.Version}: {string.Join(" ", blocking.Select(c => c.Message))}";
        var report = new StageReport
        {
            Stage = StageName.ComparePrevious,
            Model = spec.Name,
            Outcome = outcome,
            StartedAt = context.Time.GetUtcNow(),
            FinishedAt = context.Time.GetUtcNow(),
            Summary = summary,
            Checks = checks,
            Metrics = metrics,
            Outputs = [PredictionDiff.FileName, "report.html"],
            Details = new JsonObject
            {
                ["production"] = JsonNode.Parse(TollgateJson.Serialize(production)),
                ["comparedRows"] = rows.Length,
                ["topChanges"] = JsonNode.Parse(TollgateJson.Serialize(diff.LargestChanges().Take(options.TopChanges).Select(i => new
                {
                    key = diff.Keys[i],
                    production = diff.Production[i],
                    candidate = diff.Candidate[i],
                    delta = diff.Delta[i],
                    flip = diff.Flip(i),
                }))),
                ["importance"] = new JsonObject
                {
                    ["candidate"] = JsonNode.Parse(TollgateJson.Serialize(candImportance)),
                    ["production"] = JsonNode.Parse(TollgateJson.Serialize(prodImportance)),
                    ["dropColumn"] = dropColumn is null ? null : JsonNode.Parse(TollgateJson.Serialize(dropColumn)),
                },
                ["pruneCandidates"] = JsonNode.Parse(TollgateJson.Serialize(prune)),
            },
        };
        ComparePreviousHtml.Write(Path.Combine(dir, "report.html"), report, diff, options, candImportance, prodImportance, dropColumn);
        RunSummaryHtml.Write(run, report);
        return report;
    }

    private static IEnumerable<CheckResult> MetricDropChecks(TaskKind task, ComparePreviousOptions options, Dictionary<string, double> cand, Dictionary<string, double> prod)
    {
        foreach (var (metric, maxDrop) in options.MaximumDrop)
        {
            var drop = -GateEvaluator.Gain(task, metric, cand[metric], prod[metric]);
            var ok = drop <= maxDrop;
            yield return new CheckResult(
                $"compare.{metric}.drop",
                Severity.Error,
                ok ? CheckStatus.Passed : CheckStatus.Failed,
                ok
                    ? $"{metric} {GateEvaluator.F(cand[metric])} vs production {GateEvaluator.F(prod[metric])}: change within the allowed drop {GateEvaluator.F(maxDrop)}."
                    : $"{metric} {GateEvaluator.F(cand[metric])} is worse than production's {GateEvaluator.F(prod[metric])} by {GateEvaluator.F(drop)}, more than the allowed drop {GateEvaluator.F(maxDrop)}; keep the production model.",
                metric,
                $"drop {GateEvaluator.F(drop)}",
                $"<= {GateEvaluator.F(maxDrop)}");
        }

        foreach (var (metric, maxRel) in options.MaximumRelativeDrop)
        {
            var drop = -GateEvaluator.Gain(task, metric, cand[metric], prod[metric]);
            var relative = prod[metric] == 0 ? double.NaN : drop / Math.Abs(prod[metric]);
            var ok = relative <= maxRel;
            yield return new CheckResult(
                $"compare.{metric}.relativeDrop",
                Severity.Error,
                ok ? CheckStatus.Passed : CheckStatus.Failed,
                ok
                    ? $"{metric} {GateEvaluator.F(cand[metric])} vs production {GateEvaluator.F(prod[metric])}: relative change within {maxRel:P1}."
                    : $"{metric} {GateEvaluator.F(cand[metric])} is worse than production's {GateEvaluator.F(prod[metric])} by {relative:P1}, more than the allowed {maxRel:P1}; keep the production model.",
                metric,
                GateEvaluator.F(relative),
                $"<= {GateEvaluator.F(maxRel)}");
        }
    }

    private static IEnumerable<CheckResult> ImportanceChecks(ComparePreviousOptions options, IReadOnlyList<FeatureImportance> cand, IReadOnlyList<FeatureImportance> prod)
    {
        if (options.MaximumShareJump is not { } maxJump)
        {
            yield break;
        }

        foreach (var f in cand)
        {
            var before = prod.FirstOrDefault(p => p.Feature == f.Feature);
            var jump = f.Share - (before?.Share ?? 0);
            var ok = jump <= maxJump;
            if (ok && jump <= maxJump / 2)
            {
                continue; // Only features near or over the bound are worth a line in the report.
            }

            yield return new CheckResult(
                $"importance.{f.Feature}.shareJump",
                options.LeakSeverity,
                ok ? CheckStatus.Passed : CheckStatus.Failed,
                ok
                    ? $"'{f.Feature}' importance share rose from {before?.Share ?? 0:P1} to {f.Share:P1}, within the allowed jump {maxJump:P1}."
                    : $"'{f.Feature}' importance share jumped from {(before is null ? "absent in production" : before.Share.ToString("P1", System.Globalization.CultureInfo.InvariantCulture))} to {f.Share:P1} (rank {f.Rank}), more than {maxJump:P1}: a possible leak — check that '{f.Feature}' is known at prediction time.",
                f.Feature,
                GateEvaluator.F(jump),
                $"<= {GateEvaluator.F(maxJump)}");
        }

        yield return new CheckResult(
            "importance.shareJump",
            Severity.Info,
            CheckStatus.Passed,
            $"importance shares compared for {cand.Count} candidate features against production's {prod.Count}; bound {maxJump:P1}.");
    }
}
