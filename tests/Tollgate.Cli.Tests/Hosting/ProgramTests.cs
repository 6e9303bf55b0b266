using Shouldly;
using Tollgate.Core.Errors;

namespace Tollgate.Cli.Tests.Hosting;

public sealed class ProgramTests
{
    [Fact]
    public async Task RunAsync_Help_ListsVerbsAndExitCodes()
    {
        var (exit, output, _) = await RunAsync("--help");

        exit.ShouldBe(0);
        output.ShouldContain("prepare-example");
        output.ShouldContain("3 gate rejected");
    }

    [Fact]
    public async Task RunAsync_UnknownVerb_IsAUsageErrorWithExit2()
    {
        var (exit, _, error) = await RunAsync("no-such-verb");

        exit.ShouldBe((int)ExitCode.Configuration);
        error.ShouldContain("no-such-verb");
    }

    [Fact]
    public async Task RunAsync_PrepareExampleMissingSource_Exits2WithoutStackTrace()
    {
        var (exit, _, error) = await RunAsync("prepare-example", "--source", "/nonexistent/bank.csv", "--output", Path.GetTempPath());

        exit.ShouldBe((int)ExitCode.Configuration);
        error.ShouldContain("/nonexistent/bank.csv");
        error.ShouldNotContain("   at ", customMessage: "expected failures print no stack trace");
    }

    [Fact]
    public async Task RunAsync_PrepareExample_IsRepeatableByteForByte()
    {
        using var dir = new Tollgate.Testing.TempDir();
        var source = Tollgate.Testing.TestRepo.PathOf("data", "bank-marketing", "bank-full.csv");

        var (exit, _, _) = await RunAsync("prepare-example", "--source", source, "--output", dir.Path);

        exit.ShouldBe(0);
        var committed = Tollgate.Testing.TestRepo.PathOf("data", "incoming", "bank-marketing");
        var files = Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order().ToList();
        files.ShouldBe(Directory.GetFiles(committed).Select(Path.GetFileName).Order().ToList());
        foreach (var name in new[] { "2008-05-05.csv", "2009-06-15.csv.sha256", "2010-11-17.csv" })
        {
            File.ReadAllBytes(Path.Combine(dir.Path, name)).ShouldBe(File.ReadAllBytes(Path.Combine(committed, name)), name);
        }

        var total = Directory.GetFiles(dir.Path, "*.csv").Sum(f => File.ReadLines(f).Count() - 1);
        total.ShouldBe(45211, "every source row lands in exactly one daily dump");
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Program.RunAsync(args, output, error, TimeProvider.System);
        return (exit, output.ToString(), error.ToString());
    }
}
