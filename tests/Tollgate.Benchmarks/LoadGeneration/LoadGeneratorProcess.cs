using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tollgate.Benchmarks.LoadGeneration;

/// <summary>
/// The open-loop generator (<see cref="OpenLoopGenerator"/>) in a child process of its own, so it shares neither the
/// thread pool nor the garbage collector with a server measured in the benchmark's process. The child keeps its connections across runs; each
/// <see cref="RunAsync"/> is one line on its stdin and a binary file of latencies back.
/// Protocol: <c>Tollgate.Benchmarks loadgen --url U --bodies FILE --connections N</c>, then lines
/// <c>run RATE SECONDS OUTFILE</c> answered by <c>done</c> (or <c>error: …</c>), and <c>quit</c>.
/// </summary>
internal sealed class LoadGeneratorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string workDir;

    private LoadGeneratorProcess(Process process, string workDir)
    {
        this.process = process;
        this.workDir = workDir;
    }

    public static async Task<LoadGeneratorProcess> StartAsync(Uri url, IReadOnlyList<byte[]> bodies, int connections, CancellationToken ct)
    {
        var workDir = Directory.CreateTempSubdirectory("tollgate-loadgen-").FullName;
        var bodiesFile = Path.Combine(workDir, "bodies.jsonl");
        await File.WriteAllLinesAsync(bodiesFile, bodies.Select(b => Encoding.UTF8.GetString(b)), ct);
        var self = typeof(LoadGeneratorProcess).Assembly.Location;
        var host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(self);
        }

        foreach (var arg in new[] { "loadgen", "--url", url.ToString(), "--bodies", bodiesFile, "--connections", connections.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the load generator");
        var generator = new LoadGeneratorProcess(process, workDir);
        await generator.ExpectAsync("ready", ct);
        return generator;
    }

    public async Task<BlockLatencies> RunAsync(double rate, TimeSpan duration, CancellationToken ct)
    {
        var file = Path.Combine(workDir, "block.bin");
        await process.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"run {rate} {duration.TotalSeconds} {file}"));
        await process.StandardInput.FlushAsync(ct);
        await ExpectAsync("done", ct);
        return Read(file);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                await process.StandardInput.WriteLineAsync("quit");
                await process.StandardInput.FlushAsync();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
        Directory.Delete(workDir, recursive: true);
    }

    /// <summary>The child's side: connect, say ready, then run blocks as told.</summary>
    public static async Task<int> ChildMainAsync(string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var url = new Uri(Arg("--url") ?? throw new ArgumentException("loadgen: --url is required"));
        var bodies = (await File.ReadAllLinesAsync(Arg("--bodies") ?? throw new ArgumentException("loadgen: --bodies is required")))
            .Where(l => l.Length > 0).Select(Encoding.UTF8.GetBytes).ToList();
        var connections = int.Parse(Arg("--connections") ?? "16", CultureInfo.InvariantCulture);
        using var generator = new OpenLoopGenerator(url, bodies);
        generator.Connect(connections);
        Console.WriteLine("ready");
        while (Console.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            if (parts[0] == "quit")
            {
                break;
            }

            try
            {
                var result = generator.Run(double.Parse(parts[1], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(parts[2], CultureInfo.InvariantCulture)));
                Write(parts[3], result);
                Console.WriteLine("done");
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidDataException or IOException)
            {
                Console.WriteLine("error: " + ex.Message.ReplaceLineEndings(" "));
            }
        }

        return 0;
    }

    private async Task ExpectAsync(string expected, CancellationToken ct)
    {
        var line = await process.StandardOutput.ReadLineAsync(ct);
        if (line != expected)
        {
            var stderr = process.HasExited ? await process.StandardError.ReadToEndAsync(ct) : "";
            throw new InvalidOperationException($"load generator: expected '{expected}', got '{line ?? "(exited)"}' {stderr}".Trim());
        }
    }

    private static void Write(string path, BlockLatencies result)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(result.TargetRate);
        writer.Write(result.AchievedRate);
        writer.Write(result.Failed);
        writer.Write(result.Error ?? "");
        writer.Write(result.Requests);
        foreach (var series in new[] { result.FromDue, result.FromSend, result.SendLag })
        {
            foreach (var value in series)
            {
                writer.Write(value);
            }
        }
    }

    private static BlockLatencies Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var target = reader.ReadDouble();
        var achieved = reader.ReadDouble();
        var failed = reader.ReadInt32();
        var error = reader.ReadString();
        var n = reader.ReadInt32();
        float[] Series()
        {
            var values = new float[n];
            for (var i = 0; i < n; i++)
            {
                values[i] = reader.ReadSingle();
            }

            return values;
        }

        var fromDue = Series();
        var fromSend = Series();
        var lag = Series();
        return new BlockLatencies(target, achieved, failed, error.Length == 0 ? null : error, fromDue, fromSend, lag);
    }
}
