using System.CommandLine;
using Tollgate.Cli.Hosting;
using Tollgate.Data.Examples;

namespace Tollgate.Cli.Verbs;

/// <summary><c>tollgate prepare-example</c>: rebuilds the bundled example's daily dumps from the source file.</summary>
public sealed class PrepareExampleVerb : ICliVerb
{
    public Command Build(CliContext context)
    {
        var source = new Option<string>("--source")
        {
            Description = "The UCI Bank Marketing CSV.",
            DefaultValueFactory = _ => "data/bank-marketing/bank-full.csv",
        };
        var output = new Option<string>("--output")
        {
            Description = "Incoming folder to write one dump per day into (existing dumps there are replaced).",
            DefaultValueFactory = _ => "data/incoming/bank-marketing",
        };
        var command = new Command(
            "prepare-example",
            "Splits the bank-marketing source into one dump per contact day (yyyy-MM-dd.csv plus a .sha256 sidecar), " +
            "adding the id and contact_date columns. Repeatable: the same source gives byte-identical dumps.")
        {
            source,
            output,
        };
        command.SetAction(parse =>
        {
            var count = BankMarketingExample.Prepare(parse.GetValue(source)!, parse.GetValue(output)!);
            context.Output.WriteLine($"wrote {count} daily dumps to {parse.GetValue(output)}");
            return 0;
        });
        return command;
    }
}
