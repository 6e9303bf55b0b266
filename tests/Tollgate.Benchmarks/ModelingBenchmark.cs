using System.Diagnostics;
using System.Text.Json.Nodes;
using Tollgate.Core.IO;
using Tollgate.Core.Releases;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Data;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Stages;
using Tollgate.Modeling.Training;

namespace Tollgate.Benchmarks;

/// <summary>
/// The modelling stages on the bundled bank-marketing example (45,211 rows, the real model.yaml): wall time of Train,
/// Holdout-Validate (scoring, bootstrap, retrain on all), Compare-Previous (against itself, with permutation importance)
/// and Learn-Thresholds; as the reference, a bare LightGBM fit of the same pipeline on the same training rows, so the
/// stage overhead shows as a ratio; and CandidateModel scoring throughput for single rows and batches of 1,000.
/// </summary>
public sealed class ModelingBenchmark : IBenchmark
{
    public string Name => "modeling";

    public Task<JsonObject> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var spec = ModelSpecLoader.LoadByName(context.RepoRoot, "bank-marketing");
        var runRoot = Path.Combine(context.WorkDir, "modeling-run");
        if (Directory.Exists(runRoot))
        {
            Directory.Delete(runRoot, recursive: true);
        }

        var run = StartRun(context.RepoRoot, spec, runRoot);
        var modeling = new ModelingContext(context.RepoRoot, spec, run, NullStageLog.Instance, TimeProvider.System);
        var stages = new JsonObject();
        double Time(string stage, Func<StageReport> body)
        {
            var clock = Stopwatch.StartNew();
            var report = body();
            var seconds = clock.Elapsed.TotalSeconds;
            run.WriteReport(report);
            context.Log.WriteLine($"[modeling] {stage}: {seconds:0.###} s ({report.Outcome})");
            stages[stage] = new JsonObject { ["seconds"] = Math.Round(seconds, 3), ["outcome"] = report.Outcome.ToString() };
            return seconds;
        }

        var train = Time(StageName.Train, () => TrainStage.Run(modeling));
        Time(StageName.HoldoutValidate, () => HoldoutValidateStage.Run(modeling));
        var store = new ReleaseStore(Path.Combine(context.WorkDir, "modeling-store"));
        store.SetProduction(new ReleasedModel(spec.Name, "self", run.RunId, run.CandidateDir));
        Time(StageName.ComparePrevious, () => ComparePreviousStage.Run(modeling, store));
        Time(StageName.LearnThresholds, () => LearnThresholdsStage.Run(modeling));

        // Reference: the bare fit inside Train, on the same rows.
        var data = RunData.Load(modeling, checkTrainSplit: false);
        var trainRows = data.Table.Features.Select(data.Train);
        var fitClock = Stopwatch.StartNew();
        ModelTrainer.Fit(spec, trainRows);
        var fit = fitClock.Elapsed.TotalSeconds;
        context.Log.WriteLine($"[modeling] bare LightGBM fit: {fit:0.###} s; train stage / bare fit = {train / fit:0.##}");

        using var candidate = CandidateModel.Load(run.CandidateDir);
        var holdout = data.HoldoutTable();
        var rows = Enumerable.Range(0, holdout.Count).Select(i => new FeatureRow(
            spec.NumericFeatures.Select((f, k) => (f, holdout.Features.Numeric[k][i])).ToDictionary(p => p.f, p => p.Item2),
            spec.CategoricalFeatures.Select((f, k) => (f, holdout.Features.Categorical[k][i])).ToDictionary(p => p.f, p => p.Item2))).ToList();
        var batch = Enumerable.Range(0, 1000).Select(i => rows[i % rows.Count]).ToList();
        candidate.Score(batch); // warm-up
        var singles = context.Quick ? 200 : 2000;
        var clock1 = Stopwatch.StartNew();
        for (var i = 0; i < singles; i++)
        {
            candidate.Score([rows[i % rows.Count]]);
        }

        var singleRate = singles / clock1.Elapsed.TotalSeconds;
        var batches = context.Quick ? 5 : 30;
        var clock2 = Stopwatch.StartNew();
        for (var i = 0; i < batches; i++)
        {
            candidate.Score(batch);
        }

        var batchRate = batches * batch.Count / clock2.Elapsed.TotalSeconds;
        context.Log.WriteLine($"[modeling] scoring: {singleRate:0} single rows/s, {batchRate:0} rows/s in batches of 1000");
        return Task.FromResult(new JsonObject
        {
            ["rows"] = data.Table.Count,
            ["trainer"] = spec.Trainer.Name,
            ["stages"] = stages,
            ["bareFitSeconds"] = Math.Round(fit, 3),
            ["trainOverBareFit"] = Math.Round(train / fit, 3),
            ["scoringSingleRowsPerSecond"] = Math.Round(singleRate),
            ["scoringBatchRowsPerSecond"] = Math.Round(batchRate),
        });
    }

    private static RunDirectory StartRun(string repoRoot, ModelSpec spec, string runRoot)
    {
        var run = RunDirectory.Create(runRoot, new RunManifest
        {
            RunId = Path.GetFileName(runRoot),
            Model = spec.Name,
            StartedAt = DateTimeOffset.UtcNow,
            GitCommit = "benchmark",
            ConfigHash = spec.SpecSha256,
            ToolVersions = new Dictionary<string, string>(),
        });
        var files = Directory.GetFiles(Path.Combine(repoRoot, spec.IncomingPath), "*.csv").Order(StringComparer.Ordinal)
            .Select(f => new DataFileRecord(Path.GetRelativePath(repoRoot, f).Replace('\\', '/'), Sha256.OfFile(f), 0, new FileInfo(f).Length))
            .ToList();
        TollgateJson.WriteFile(Path.Combine(run.StageDir(StageName.ValidateData), DataManifest.FileName), new DataManifest
        {
            Model = spec.Name,
            Contract = spec.ContractPath,
            Files = files,
            Delimiter = ';',
        });
        run.WriteReport(new StageReport
        {
            Stage = StageName.ValidateData,
            Model = spec.Name,
            Outcome = StageOutcome.Passed,
            StartedAt = DateTimeOffset.UtcNow,
            FinishedAt = DateTimeOffset.UtcNow,
            Summary = "benchmark: the bundled dumps, as validate-data accepts them",
        });
        return run;
    }
}
