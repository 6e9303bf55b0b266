using Tollgate.Core.Errors;
using Tollgate.Serving.Contracts;
using Tollgate.Serving.Hosting;
using Tollgate.Serving.Scoring;

namespace Tollgate.Serving;

/// <summary>
/// The model server: <c>Tollgate.Serving --candidate DIR [--urls http://127.0.0.1:8080] [--log-dir DIR]</c>.
/// Exit codes follow the pipeline's table: 2 for a bad option, candidate or contract.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(ServingOptionsParser.Usage);
            return 0;
        }

        if (args.Length > 0 && args[0] == "--healthcheck")
        {
            return await HealthProbe.RunAsync(args.Length > 1 ? args[1] : null, Environment.GetEnvironmentVariable);
        }

        try
        {
            var options = ServingOptionsParser.Parse(args, Environment.GetEnvironmentVariable);
            using var model = CandidateScoringModel.Load(options.CandidateDir);
            var contract = ServingContract.Load(options.ContractPath ?? ContractLocator.Find(options.CandidateDir, model.Metadata.ContractPath));
            await using var app = ServingApp.Build(options, model, contract, TimeProvider.System);
            await app.StartAsync();
            Console.WriteLine($"tollgate model server: {model.Info.Name} {model.Info.Version} on {options.Urls}; warming up");
            ServingApp.WarmUp(app);
            var readiness = (Readiness)app.Services.GetService(typeof(Readiness))!;
            Console.WriteLine($"tollgate model server: {readiness.Status}");

            // The trees are checked against ML.NET in the background after warm-up (rows use ML.NET meanwhile): say how
            // rows are scored once that is settled, without holding up readiness or a thread-pool thread.
            new Thread(() => Console.WriteLine($"tollgate model server: scoring with {model.RowScoring}")) { IsBackground = true }.Start();
            await app.WaitForShutdownAsync();
            return 0;
        }
        catch (TollgateException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            await Console.Error.WriteLineAsync(ServingOptionsParser.Usage);
            return (int)ex.ExitCode;
        }
        catch (IOException ex) when (ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"error: cannot listen: {ex.Message}. Pick a free port with --urls.");
            return (int)ExitCode.InfrastructureUnavailable;
        }
    }
}
