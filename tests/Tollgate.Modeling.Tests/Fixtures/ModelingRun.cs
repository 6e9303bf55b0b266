using Tollgate.Core.IO;
using Tollgate.Core.Runs;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Modeling.Stages;
using Tollgate.Testing;

namespace Tollgate.Modeling.Tests.Fixtures;

/// <summary>
/// A run directory as Validate-Data leaves it — run.json, a passed validate-data report and accepted.json listing the
/// bundled bank-marketing dumps (or a rewritten copy of them) — so the modelling stages can be tested on real data
/// without depending on the validate-data implementation.
/// </summary>
public sealed class ModelingRun : IDisposable
{
    private readonly TempDir dir;

    private ModelingRun(TempDir dir, ModelSpec spec, RunDirectory run)
    {
        this.dir = dir;
        Spec = spec;
        Run = run;
        Context = new ModelingContext(TestRepo.Root, spec, run, Log, TimeProvider.System);
    }

    public ModelSpec Spec { get; }

    public RunDirectory Run { get; }

    public ModelingContext Context { get; }

    public TestLog Log { get; } = new();

    public string TempPath => dir.Path;

    /// <summary>
    /// A run for <paramref name="model"/>. <paramref name="editSpec"/> rewrites model.yaml's text (the copy lives in a temp
    /// models/&lt;name&gt;/ folder); <paramref name="editRows"/> rewrites the data rows (split on the delimiter) before they are
    /// written to one temp dump; without it accepted.json lists the real dumps.
    /// </summary>
    public static ModelingRun Create(
        string model = "bank-marketing",
        Func<string, string>? editSpec = null,
        Action<string[], List<string[]>>? editRows = null)
    {
        var dir = new TempDir("modeling");
        var specPath = ModelSpecLoader.PathFor(TestRepo.Root, model);
        if (editSpec is not null)
        {
            var copy = Path.Combine(dir.Path, "models", model, "model.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.WriteAllText(copy, editSpec(File.ReadAllText(specPath)));
            specPath = copy;
        }

        var spec = ModelSpecLoader.Load(TestRepo.Root, specPath);
        var delimiter = Delimiter(spec);
        var run = RunDirectory.Create(Path.Combine(dir.Path, "runs", $"test-{model}"), new RunManifest
        {
            RunId = $"test-{model}",
            Model = spec.Name,
            StartedAt = DateTimeOffset.UtcNow,
            GitCommit = "test",
            ConfigHash = spec.SpecSha256,
            ToolVersions = new Dictionary<string, string>(),
        });
        var dumps = Directory.GetFiles(TestRepo.PathOf(spec.IncomingPath), "*.csv").Order(StringComparer.Ordinal).ToList();
        List<DataFileRecord> files;
        if (editRows is null)
        {
            files = [.. dumps.Select(f => Record(f, Path.GetRelativePath(TestRepo.Root, f).Replace('\\', '/')))];
        }
        else
        {
            var header = File.ReadLines(dumps[0]).First().Split(delimiter).Select(h => h.Trim('"')).ToArray();
            var rows = dumps.SelectMany(f => File.ReadLines(f).Skip(1)).Select(l => l.Split(delimiter)).ToList();
            editRows(header, rows);
            var combined = Path.Combine(dir.Path, "data", "combined.csv");
            Directory.CreateDirectory(Path.GetDirectoryName(combined)!);
            File.WriteAllLines(combined, [File.ReadLines(dumps[0]).First(), .. rows.Select(r => string.Join(delimiter, r))]);
            files = [Record(combined, combined)];
        }

        TollgateJson.WriteFile(Path.Combine(run.StageDir(StageName.ValidateData), DataManifest.FileName), new DataManifest
        {
            Model = spec.Name,
            Contract = spec.ContractPath,
            Files = files,
            Delimiter = delimiter,
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
        return new ModelingRun(dir, spec, run);
    }

    /// <summary>The context with a differently edited model.yaml (same run), e.g. to add a section a later stage reads.</summary>
    public ModelingContext ContextWith(Func<string, string> editSpec)
    {
        var copy = Path.Combine(dir.Path, "alt", Guid.NewGuid().ToString("N"), "models", Spec.Name, "model.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.WriteAllText(copy, editSpec(File.ReadAllText(ModelSpecLoader.PathFor(TestRepo.Root, Spec.Name))));
        return Context with { Spec = ModelSpecLoader.Load(TestRepo.Root, copy) };
    }

    /// <summary>Index of a column in the header passed to an <c>editRows</c> callback.</summary>
    public static int Column(string[] header, string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new ArgumentException(name);

    public string StagePath(string stage, string file) => Path.Combine(Run.Root, stage, file);

    public void Dispose() => dir.Dispose();

    private static char Delimiter(ModelSpec spec)
    {
        var first = Directory.GetFiles(TestRepo.PathOf(spec.IncomingPath), "*.csv").Order(StringComparer.Ordinal).First();
        return File.ReadLines(first).First().Contains(';', StringComparison.Ordinal) ? ';' : ',';
    }

    private static DataFileRecord Record(string fullPath, string recordedPath) =>
        new(recordedPath, Sha256.OfFile(fullPath), File.ReadLines(fullPath).Count() - 1, new FileInfo(fullPath).Length);
}
