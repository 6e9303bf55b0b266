using System.Text.RegularExpressions;
using Shouldly;
using Tollgate.Cli.Hosting;
using Tollgate.Core.Errors;
using Tollgate.Core.Stages;
using Tollgate.Testing;

namespace Tollgate.Cli.Tests.Conventions;

/// <summary>House rules turned into code: one name per stage everywhere, a thin build.cake, one exit-code table.</summary>
public sealed partial class PipelineConventionTests
{
    private static readonly string BuildCake = File.ReadAllText(TestRepo.PathOf("build", "build.cake"));

    private static readonly string ContextCake = File.ReadAllText(TestRepo.PathOf("build", "context.cake"));

    public static TheoryData<string> StageVerbs()
    {
        var data = new TheoryData<string>();
        foreach (var verb in typeof(Program).Assembly.GetTypes()
                     .Where(t => !t.IsAbstract && typeof(StageVerb).IsAssignableFrom(t)))
        {
            data.Add(verb.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StageVerbs))]
    public void StageVerb_EachOne_IsAChainStageWithADescribedCakeTaskOfTheSameName(string verbType)
    {
        var stage = StageOf(verbType);

        StageName.Chain.ShouldContain(stage, $"{verbType} is a stage verb but '{stage}' is not in StageName.Chain");
        verbType.ShouldBe(string.Concat(stage.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..])) + "Verb");
        var task = StageName.ToCakeTask(stage);
        Regex.IsMatch(BuildCake, $"Task\\(\"{Regex.Escape(task)}\"\\)\\s*\\n\\s*\\.Description\\(")
            .ShouldBeTrue($"build.cake needs Task(\"{task}\") with a .Description(...)");
    }

    [Theory]
    [MemberData(nameof(StageVerbs))]
    public void StageVerb_EachOne_RunsInTheReleaseTarget(string verbType)
    {
        var stage = StageOf(verbType);
        var end = ReleaseChainEnd().Match(ContextCake).Groups[1].Value;
        var endIndex = StageName.Chain.Select(StageName.ToCakeTask).ToList().IndexOf(end);

        endIndex.ShouldBeGreaterThanOrEqualTo(0, $"ReleaseChainEnd '{end}' is not a chain task");
        StageName.Chain.ToList().IndexOf(stage).ShouldBeLessThanOrEqualTo(
            endIndex,
            $"'{stage}' is built but ./build.sh (target Release) stops at {end}: move BuildContext.ReleaseChainEnd in build/context.cake");
    }

    [Fact]
    public void BuildCake_NeverLoadsProjectOrMlAssemblies()
    {
        foreach (var file in Directory.GetFiles(TestRepo.PathOf("build"), "*.cake"))
        {
            var text = File.ReadAllText(file);
            text.ShouldNotMatch(@"(?m)^\s*#r\s", $"{file}: tasks run the tollgate CLI as a child process; #r fails on ML.NET's native libraries");
            text.ShouldNotMatch(@"(?m)^\s*#addin.*(Microsoft\.ML|Docker)");
        }
    }

    [Fact]
    public void ExitCode_Table_IsTheDocumentedOne()
    {
        Enum.GetValues<ExitCode>().Select(c => (int)c).ShouldBe([0, 1, 2, 3, 4]);
        var readme = File.ReadAllText(TestRepo.PathOf("README.md"));
        foreach (var code in Enum.GetValues<ExitCode>())
        {
            readme.ShouldContain($"| {(int)code} |");
        }
    }

    private static string StageOf(string verbType)
    {
        var type = typeof(Program).Assembly.GetTypes().Single(t => t.Name == verbType);
        var verb = (StageVerb)Activator.CreateInstance(type)!;
        var command = verb.Build(new CliContext(TextWriter.Null, TextWriter.Null, TimeProvider.System));
        return command.Name;
    }

    [GeneratedRegex("ReleaseChainEnd = \"([A-Za-z-]+)\"")]
    private static partial Regex ReleaseChainEnd();
}
