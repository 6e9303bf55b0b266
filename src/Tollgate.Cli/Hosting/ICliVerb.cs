using System.CommandLine;

namespace Tollgate.Cli.Hosting;

/// <summary>
/// One verb of the <c>tollgate</c> command. Verbs are discovered by reflection, so adding a stage is adding one file
/// under <c>Verbs/</c>.
/// </summary>
public interface ICliVerb
{
    Command Build(CliContext context);
}
