using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using nietras.SeparatedValues;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Data.Checks;
using Tollgate.Data.Stage;

namespace Tollgate.Benchmarks;

/// <summary>
/// Validate-Data on a big dump made by repeating the bank data (22× ≈ 1M rows ≈ 120 MB; 240× ≈ 1.3 GB unless --quick):
/// the whole stage with the full bank contract on every core, twice per size — with an empty history, and against a
/// history of twelve daily dumps accepted just before (untimed) so every check runs (volume, null rates, aggregates,
/// drift, correlation). Reports MB/s, rows/s and peak RSS per run, the marginal rate between the sizes, the raw
/// single-threaded Sep parse of every column, and pandas doing the basic checks when python3-pandas is installed, with
/// the ratio.
/// </summary>
public sealed class ValidateDataBenchmark : IBenchmark
{
    public string Name => "validate-data";

    public async Task<JsonObject> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var result = new JsonObject { ["cores"] = Environment.ProcessorCount };
        var sizes = context.Quick ? new[] { 22 } : [22, 240];
        var runs = new JsonArray();
        foreach (var repeat in sizes)
        {
            var repo = Path.Combine(context.WorkDir, $"validate-data-x{repeat}");
            var dump = Prepare(context, repo, repeat);
            var bytes = new FileInfo(dump).Length;
            var spec = ModelSpecLoader.LoadByName(repo, "bank-marketing");
            var history = Path.Combine(repo, "history");

            // 1. The dump alone, empty history (the first call in the process also pays for JIT and loading).
            context.Log.WriteLine($"[validate-data] {bytes / 1e6:0.#} MB, repeat {repeat}×: empty history");
            ResetHistory(history);
            var first = Timed(repo, spec, history, bytes, cancellationToken);
            context.Log.WriteLine($"[validate-data]   {first["seconds"]} s, {first["mbPerSecond"]} MB/s, peak RSS {first["peakRssMb"]} MB, outcome {first["outcome"]}");

            // 2. Every check: a history of daily dumps accepted first (untimed), then the big dump against it —
            //    volume band, null rates, aggregates, drift, correlation all run.
            ResetHistory(history);
            var parked = Path.Combine(repo, "parked");
            Directory.CreateDirectory(parked);
            var incoming = Path.GetDirectoryName(dump)!;
            MoveDump(dump, parked);
            var seed = SeedDailyDumps(context, incoming);
            Run(repo, spec, history, cancellationToken);
            foreach (var f in seed)
            {
                File.Delete(f);
                File.Delete(f + ".sha256");
            }

            MoveDump(Path.Combine(parked, Path.GetFileName(dump)), incoming);
            var full = Timed(repo, spec, history, bytes, cancellationToken);
            full["historyDumps"] = seed.Count;
            context.Log.WriteLine($"[validate-data]   with a history of {seed.Count} dumps (every check): {full["seconds"]} s, {full["mbPerSecond"]} MB/s, {full["rowsPerSecond"]} rows/s, peak RSS {full["peakRssMb"]} MB, outcome {full["outcome"]}");
            var run = new JsonObject
            {
                ["repeat"] = repeat,
                ["bytes"] = bytes,
                ["rows"] = full["rows"]!.DeepClone(),
                ["seconds"] = full["seconds"]!.DeepClone(),
                ["mbPerSecond"] = full["mbPerSecond"]!.DeepClone(),
                ["rowsPerSecond"] = full["rowsPerSecond"]!.DeepClone(),
                ["peakRssMb"] = full["peakRssMb"]!.DeepClone(),
                ["withHistory"] = full,
                ["emptyHistory"] = first,
            };
            if (repeat == sizes[0])
            {
                var sep = SepParse(dump);
                run["sepSingleThreadSeconds"] = Math.Round(sep, 3);
                run["sepSingleThreadMbPerSecond"] = Math.Round(bytes / 1e6 / sep, 1);
                run["tollgateOverSepSingleThread"] = Math.Round(sep / (double)full["seconds"]!, 2);
                context.Log.WriteLine($"[validate-data]   raw Sep parse of all 19 columns, one thread: {sep:0.###} s ({bytes / 1e6 / sep:0} MB/s)");
                var pandas = await Pandas(dump, cancellationToken);
                if (pandas is { } p)
                {
                    run["pandasSeconds"] = Math.Round(p, 3);
                    run["pandasOverTollgate"] = Math.Round(p / (double)full["seconds"]!, 2);
                    context.Log.WriteLine($"[validate-data]   pandas basic checks: {p:0.###} s → Tollgate (every check) is {p / (double)full["seconds"]!:0.#}× faster");
                }
                else
                {
                    run["pandas"] = "python3-pandas not installed";
                    context.Log.WriteLine("[validate-data]   pandas: not installed (apt-get install python3-pandas), skipped");
                }
            }

            runs.Add(run);
        }

        result["runs"] = runs;
        if (runs.Count == 2)
        {
            // The streaming rate: what each further byte costs once fixed costs (loading, JIT, reports) are paid.
            var (small, big) = (runs[0]!, runs[1]!);
            var marginal = ((long)big["bytes"]! - (long)small["bytes"]!) / 1e6 / ((double)big["seconds"]! - (double)small["seconds"]!);
            result["marginalMbPerSecond"] = Math.Round(marginal, 1);
        }

        result["goal"] = "≥ 250 MB/s on both cores; peak RSS < 300 MB for 100 MB and 1 GB";
        result["note"] = "seconds/mbPerSecond: the whole Validate-Data stage (scan, every check against a history of daily dumps, profile, report.json and report.html); emptyHistory: the same dump with no history, and for the first size the first stage call in the process (JIT, contract schema load).";
        return result;
    }

    private static JsonObject Timed(string repo, ModelSpec spec, string history, long bytes, CancellationToken cancellationToken)
    {
        ResetPeakRss();
        var clock = Stopwatch.StartNew();
        var stage = Run(repo, spec, history, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var rows = stage.Accepted.TotalRows;
        return new JsonObject
        {
            ["rows"] = rows,
            ["seconds"] = Math.Round(seconds, 3),
            ["mbPerSecond"] = Math.Round(bytes / 1e6 / seconds, 1),
            ["rowsPerSecond"] = Math.Round(rows / seconds),
            ["peakRssMb"] = Math.Round(PeakRssMb(), 1),
            ["outcome"] = stage.Outcome.ToString(),
            ["checks"] = stage.Checks.Count,
            ["checksSkipped"] = string.Join(", ", stage.Checks.Where(c => c.Status == CheckStatus.Skipped).Select(c => c.Id).Distinct()),
            ["failedErrors"] = stage.Checks.Count(c => c.IsBlocking),
        };
    }

    private static ValidateDataResult Run(string repo, ModelSpec spec, string history, CancellationToken cancellationToken) =>
        ValidateDataStage.Run(
            new ValidateDataOptions
            {
                RepoRoot = repo,
                Spec = spec,
                RunId = "benchmark",
                OutputDir = Path.Combine(repo, "out"),
                HistoryDir = history,
                Quarantine = false,
            },
            NullStageLog.Instance,
            cancellationToken);

    private static void ResetHistory(string history)
    {
        if (Directory.Exists(history))
        {
            Directory.Delete(history, recursive: true);
        }
    }

    private static void MoveDump(string dump, string toDir)
    {
        File.Move(dump, Path.Combine(toDir, Path.GetFileName(dump)));
        File.Move(dump + ".sha256", Path.Combine(toDir, Path.GetFileName(dump) + ".sha256"));
    }

    /// <summary>Twelve of the example's daily dumps (all dated before the big one), copied with their sidecars into the incoming folder.</summary>
    private static List<string> SeedDailyDumps(BenchmarkContext context, string incoming)
    {
        var source = Path.Combine(context.RepoRoot, "data", "incoming", "bank-marketing");
        // The twelve largest days: the aggregate comparison only looks back at dumps with enough rows.
        var days = Directory.EnumerateFiles(source, "*.csv").OrderByDescending(f => new FileInfo(f).Length).Take(12).Order(StringComparer.Ordinal).ToList();
        var copies = new List<string>();
        foreach (var day in days)
        {
            var to = Path.Combine(incoming, Path.GetFileName(day)); // dated before the big dump (2010-11-18)
            File.Copy(day, to, overwrite: true);
            File.Copy(day + ".sha256", to + ".sha256", overwrite: true);
            copies.Add(to);
        }

        return copies;
    }

    /// <summary>A temporary repo: model.yaml, contract and one big dump built from the example's daily dumps (reused when present).</summary>
    private static string Prepare(BenchmarkContext context, string repo, int repeat)
    {
        Directory.CreateDirectory(Path.Combine(repo, "models", "bank-marketing"));
        Directory.CreateDirectory(Path.Combine(repo, "data-contracts"));
        var incoming = Path.Combine(repo, "data", "incoming", "bank-marketing");
        Directory.CreateDirectory(incoming);
        File.Copy(Path.Combine(context.RepoRoot, "models", "bank-marketing", "model.yaml"), Path.Combine(repo, "models", "bank-marketing", "model.yaml"), overwrite: true);
        File.Copy(Path.Combine(context.RepoRoot, "data-contracts", "bank-marketing.odcs.yaml"), Path.Combine(repo, "data-contracts", "bank-marketing.odcs.yaml"), overwrite: true);
        var dump = Path.Combine(incoming, "2010-11-18.csv");
        if (File.Exists(dump) && File.Exists(dump + ".sha256"))
        {
            return dump;
        }

        var sources = Directory.EnumerateFiles(Path.Combine(context.RepoRoot, "data", "incoming", "bank-marketing"), "*.csv").Order(StringComparer.Ordinal).ToList();
        var header = File.ReadLines(sources[0]).First();
        var rows = sources.SelectMany(f => File.ReadLines(f).Skip(1)).Select(l => l[l.IndexOf(';')..]).ToList();
        context.Log.WriteLine($"[validate-data] writing {rows.Count * repeat:N0} rows to {dump}");
        using (var writer = new StreamWriter(dump, false, new UTF8Encoding(false), 1 << 20))
        {
            writer.Write(header);
            writer.Write('\n');
            long id = 1;
            for (var r = 0; r < repeat; r++)
            {
                foreach (var row in rows)
                {
                    writer.Write(id++.ToString(CultureInfo.InvariantCulture));
                    writer.Write(row);
                    writer.Write('\n');
                }
            }
        }

        File.WriteAllText(dump + ".sha256", $"{Core.IO.Sha256.OfFile(dump)}  2010-11-18.csv\n");
        return dump;
    }

    private static double SepParse(string path)
    {
        var clock = Stopwatch.StartNew();
        long chars = 0;
        using (var reader = Sep.New(';').Reader(o => o with { Unescape = true }).FromFile(path))
        {
            foreach (var row in reader)
            {
                for (var c = 0; c < row.ColCount; c++)
                {
                    chars += row[c].Span.Length;
                }
            }
        }

        GC.KeepAlive(chars);
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<double?> Pandas(string path, CancellationToken ct)
    {
        const string script = """
            import sys, time
            import pandas as pd
            t = time.perf_counter()
            df = pd.read_csv(sys.argv[1], sep=';')
            nulls = df.isna().sum()
            num = df[['age','balance','duration','campaign','pdays','previous','day']]
            stats = (num.min(), num.max(), num.mean(), num.quantile([0.01, 0.25, 0.5, 0.75, 0.99]))
            counts = [df[c].value_counts() for c in ['job','marital','education','default','housing','loan','contact','month','poutcome','y']]
            dups = df['id'].duplicated().sum()
            dates = pd.to_datetime(df['contact_date'], format='%Y-%m-%d')
            print(time.perf_counter() - t)
            """;
        try
        {
            // Debian's python3-pandas installs for /usr/bin/python3, which a pyenv or venv python3 on PATH would hide.
            var python = Environment.GetEnvironmentVariable("TOLLGATE_PYTHON") ?? (File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
            var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(script);
            psi.ArgumentList.Add(path);
            using var p = Process.Start(psi)!;
            var output = await p.StandardOutput.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            return p.ExitCode == 0 && double.TryParse(output.Trim(), CultureInfo.InvariantCulture, out var s) ? s : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Linux: writing 5 to clear_refs resets the peak RSS (VmHWM), so each size reports its own peak.</summary>
    private static void ResetPeakRss()
    {
        GC.Collect();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static double PeakRssMb()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }
        catch (IOException)
        {
        }

        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1e6;
    }
}
