using System.Diagnostics;
using System.Text.Json.Nodes;
using Tollgate.Benchmarks;
using Tollgate.Core.IO;

// Usage: Tollgate.Benchmarks [--repo-root DIR] [--quick] [name ...]   (no names: every benchmark)
//        Tollgate.Benchmarks loadgen ...   (the open-loop load generator's child process, see LoadGeneratorProcess)
//        Tollgate.Benchmarks bare PORT     (the serving benchmark's bare endpoint, in a process of its own)
if (args is ["bare", var barePort])
{
    return await ServingBenchmark.BareMainAsync(int.Parse(barePort, System.Globalization.CultureInfo.InvariantCulture));
}

if (args is ["loadgen", ..])
{
    return await Tollgate.Benchmarks.LoadGeneration.LoadGeneratorProcess.ChildMainAsync(args[1..]);
}

var repoRoot = Directory.GetCurrentDirectory();
var quick = false;
var names = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--repo-root":
            repoRoot = Path.GetFullPath(args[++i]);
            break;
        case "--quick":
            quick = true;
            break;
        default:
            names.Add(args[i]);
            break;
    }
}

var all = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();
var selected = names.Count == 0 ? all : all.Where(b => names.Contains(b.Name)).ToList();
var unknown = names.Except(all.Select(b => b.Name)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown benchmark(s): {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(b => b.Name))}");
    return 2;
}

var outDir = Path.Combine(repoRoot, "artifacts", "bench");
var context = new BenchmarkContext(repoRoot, Path.Combine(outDir, "work"), quick, Console.Out);
Directory.CreateDirectory(context.WorkDir);
foreach (var benchmark in selected)
{
    Console.WriteLine($"[benchmark] {benchmark.Name} ...");
    var clock = Stopwatch.StartNew();
    var result = await benchmark.RunAsync(context, CancellationToken.None);
    result["benchmark"] = benchmark.Name;
    result["measuredAt"] = DateTimeOffset.UtcNow.ToString("O");
    result["machine"] = new JsonObject { ["cores"] = Environment.ProcessorCount, ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription };
    result["wallSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
    var path = Path.Combine(outDir, benchmark.Name + ".json");
    AtomicFile.WriteAllText(path, result.ToJsonString(TollgateJson.Options));
    Console.WriteLine($"[benchmark] {benchmark.Name}: wrote {Path.GetRelativePath(repoRoot, path)}");
}

return 0;
