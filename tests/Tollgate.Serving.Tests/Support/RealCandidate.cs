using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Scoring;
using Tollgate.Modeling.Stages;
using Tollgate.Testing;

namespace Tollgate.Serving.Tests.Support;

/// <summary>
/// A real release candidate of the bundled bank-marketing model, produced by the modeling stages themselves (Train,
/// then Holdout-Validate, which retrains on all rows and writes <c>candidate/</c>) on the bundled dumps. Training takes
/// a while on 2 cores, so the run is cached in the temp folder, keyed by model.yaml, the iteration count and the
/// modeling assembly: a changed trainer or spec trains afresh. Shared by the server and Build-Image tests.
/// </summary>
public static class RealCandidate
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>The run directory holding <c>candidate/</c>; <paramref name="iterations"/> varies the model (a "retrain").</summary>
    public static async Task<RunDirectory> GetAsync(int iterations = 40)
    {
        await Gate.WaitAsync();
        // The server and Build-Image test assemblies run in parallel processes and share this cache: a file lock keeps
        // one process from deleting or reading a run the other is still writing.
        var cacheRoot = Path.Combine(Path.GetTempPath(), "tollgate-candidate-cache");
        Directory.CreateDirectory(cacheRoot);
        using var crossProcess = await LockFileAsync(Path.Combine(cacheRoot, ".lock"));
        try
        {
            var specText = File.ReadAllText(ModelSpecLoader.PathFor(TestRepo.Root, "bank-marketing"));
            var edited = System.Text.RegularExpressions.Regex.Replace(specText, @"numberOfIterations:\s*\d+", $"numberOfIterations: {iterations}");
            var key = Sha256.OfText(edited + typeof(CandidateModel).Assembly.ManifestModule.ModuleVersionId)[..16];
            var cache = Path.Combine(Path.GetTempPath(), "tollgate-candidate-cache", key);
            var runDir = Path.Combine(cache, "runs", $"test-{iterations}");
            if (File.Exists(Path.Combine(runDir, "candidate", CandidateMetadata.FileName)))
            {
                return RunDirectory.Open(runDir, Path.GetDirectoryName(runDir)!);
            }

            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }

            // Candidates of older model.yaml or modeling builds are never used again.
            foreach (var stale in new DirectoryInfo(cacheRoot).EnumerateDirectories().Where(d => d.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-6)))
            {
                stale.Delete(recursive: true);
            }

            var specPath = Path.Combine(cache, "models", "bank-marketing", "model.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(specPath)!);
            File.WriteAllText(specPath, edited);
            var spec = ModelSpecLoader.Load(TestRepo.Root, specPath);
            var run = RunDirectory.Create(runDir, new RunManifest
            {
                RunId = $"test-{iterations}",
                Model = spec.Name,
                StartedAt = DateTimeOffset.UtcNow,
                GitCommit = "test-commit",
                ConfigHash = spec.SpecSha256,
                ToolVersions = new Dictionary<string, string>(),
            });
            var dumps = Directory.GetFiles(TestRepo.PathOf(spec.IncomingPath), "*.csv").Order(StringComparer.Ordinal).ToList();
            TollgateJson.WriteFile(Path.Combine(run.StageDir(StageName.ValidateData), DataManifest.FileName), new DataManifest
            {
                Model = spec.Name,
                Contract = spec.ContractPath,
                Delimiter = ';',
                Files = [.. dumps.Select(f => new DataFileRecord(
                    Path.GetRelativePath(TestRepo.Root, f).Replace('\\', '/'), Sha256.OfFile(f), File.ReadLines(f).Count() - 1, new FileInfo(f).Length))],
            });
            run.WriteReport(new StageReport
            {
                Stage = StageName.ValidateData,
                Model = spec.Name,
                Outcome = StageOutcome.Passed,
                StartedAt = DateTimeOffset.UtcNow,
                FinishedAt = DateTimeOffset.UtcNow,
                Summary = "test fixture: data accepted",
            });
            var context = new ModelingContext(TestRepo.Root, spec, run, NullStageLog.Instance, TimeProvider.System);
            run.WriteReport(TrainStage.Run(context));
            var holdout = HoldoutValidateStage.Run(context, new HoldoutValidateOptions { BootstrapResamples = 0 });
            run.WriteReport(holdout);
            if (!File.Exists(Path.Combine(run.CandidateDir, CandidateMetadata.FileName)))
            {
                throw new InvalidOperationException($"holdout-validate wrote no candidate ({holdout.Outcome}: {holdout.Summary}).");
            }

            return run;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<FileStream> LockFileAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1200)
            {
                await Task.Delay(250); // another test process is training the candidate: wait for it (at most 5 minutes)
            }
        }
    }

    /// <summary>Real bank rows from the bundled dumps, as request objects (every contract column, label included).</summary>
    public static IReadOnlyList<System.Text.Json.Nodes.JsonObject> BankRequestRows(int count, int skip = 0)
    {
        var contract = Contracts.ServingContract.Load(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"));
        var dumps = Directory.GetFiles(TestRepo.PathOf("data", "incoming", "bank-marketing"), "*.csv").Order(StringComparer.Ordinal);
        var rows = new List<System.Text.Json.Nodes.JsonObject>();
        foreach (var dump in dumps)
        {
            var lines = File.ReadAllLines(dump);
            var header = lines[0].Split(';').Select(h => h.Trim('"')).ToArray();
            foreach (var line in lines.Skip(1))
            {
                if (skip-- > 0)
                {
                    continue;
                }

                var cells = line.Split(';').Select(c => c.Trim('"')).ToArray();
                var row = new System.Text.Json.Nodes.JsonObject();
                for (var i = 0; i < header.Length; i++)
                {
                    row[header[i]] = contract.Fields.TryGetValue(header[i], out var f) && f.IsNumeric
                        ? System.Text.Json.Nodes.JsonValue.Create(double.Parse(cells[i], System.Globalization.CultureInfo.InvariantCulture))
                        : System.Text.Json.Nodes.JsonValue.Create(cells[i]);
                }

                rows.Add(row);
                if (rows.Count == count)
                {
                    return rows;
                }
            }
        }

        return rows;
    }
}
