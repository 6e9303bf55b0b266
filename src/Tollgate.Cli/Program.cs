using System.CommandLine;
using Tollgate.Cli.Hosting;
using Tollgate.Core.Errors;

namespace Tollgate.Cli;

/// <summary>The <c>tollgate</c> command: one verb per stage; the composition root of the pipeline.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args) =>
        await RunAsync(args, Console.Out, Console.Error, TimeProvider.System);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time)
    {
        var context = new CliContext(output, error, time);
        var verbosity = CommonOptions.Verbosity();
        var root = new RootCommand(
            """
            Tollgate: a build-and-release pipeline that makes every ML.NET retrain safe to ship.
            Each verb is one stage of the chain validate-data → train → holdout-validate → compare-previous →
            learn-thresholds → log-mlflow → build-image → shadow-deploy → promote → prune-images.
            Exit codes: 0 passed/skipped · 1 unexpected error · 2 configuration/usage · 3 gate rejected · 4 infrastructure unavailable.
            """)
        {
            verbosity,
        };
        foreach (var verb in DiscoverVerbs())
        {
            root.Subcommands.Add(verb.Build(context));
        }

        var parse = root.Parse(args);
        var diagnostic = string.Equals(parse.GetValue(verbosity), "diagnostic", StringComparison.OrdinalIgnoreCase);
        try
        {
            var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            var code = await parse.InvokeAsync(config);
            return code == 1 && parse.Errors.Count > 0 ? (int)ExitCode.Configuration : code;
        }
        catch (TollgateException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            if (diagnostic)
            {
                await error.WriteLineAsync(ex.ToString());
            }

            return (int)ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("error: cancelled.");
            return (int)ExitCode.Unexpected;
        }
#pragma warning disable CA1031 // The CLI's last line of defence: any other exception is reported, with exit code 1.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"unexpected error: {ex.GetType().Name}: {ex.Message}");
            await error.WriteLineAsync(diagnostic ? ex.ToString() : "Run again with --verbosity diagnostic for the stack trace.");
            return (int)ExitCode.Unexpected;
        }
    }

    private static IEnumerable<ICliVerb> DiscoverVerbs() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(ICliVerb).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (ICliVerb)Activator.CreateInstance(t)!);
}
