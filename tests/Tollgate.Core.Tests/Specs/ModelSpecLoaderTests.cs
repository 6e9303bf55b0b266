using Shouldly;
using Tollgate.Core.Errors;
using Tollgate.Core.Specs;
using Tollgate.Testing;

namespace Tollgate.Core.Tests.Specs;

public sealed class ModelSpecLoaderTests
{
    [Fact]
    public void LoadByName_BankMarketing_ReadsEveryCoreSetting()
    {
        var spec = ModelSpecLoader.LoadByName(TestRepo.Root, "bank-marketing");

        spec.Task.ShouldBe(TaskKind.BinaryClassification);
        spec.LabelColumn.ShouldBe("y");
        spec.PositiveClass.ShouldBe("yes");
        spec.ExcludedColumns.ShouldContainKey("duration", "duration leaks the label and must stay excluded");
        spec.AllFeatures.ShouldNotContain("duration");
        spec.Holdout.LastDays.ShouldBe(120);
        spec.Trainer.Name.ShouldBe("lightgbm");
        spec.Gates.IsEmpty.ShouldBeFalse();
        spec.SpecSha256.Length.ShouldBe(64);
    }

    [Fact]
    public void Load_SeveralMistakes_ReportsAllAtOnceWithFileLineAndKey()
    {
        using var dir = new TempDir();
        var yaml = File.ReadAllText(ModelSpecLoader.PathFor(TestRepo.Root, "bank-marketing"))
            .Replace("name: lightgbm", "name: xgboost", StringComparison.Ordinal)
            .Replace("holdout:", "holdot:", StringComparison.Ordinal)
            .Replace("  column: y", "  colunm: y", StringComparison.Ordinal);
        var path = WriteSpec(dir, yaml);

        var ex = Should.Throw<ConfigurationException>(() => ModelSpecLoader.Load(TestRepo.Root, path));

        ex.ExitCode.ShouldBe(ExitCode.Configuration);
        ex.Errors.ShouldContain(e => e.Contains("'holdot'") && e.Contains("did you mean 'holdout'"), string.Join("\n", ex.Errors));
        ex.Errors.ShouldContain(e => e.Contains("'trainer.name'") && e.Contains("xgboost") && e.Contains("lightgbm"));
        ex.Errors.ShouldContain(e => e.Contains("'label.colunm'") && e.Contains("did you mean 'column'"));
        ex.Errors.ShouldAllBe(e => e.Contains("model.yaml"));
    }

    [Fact]
    public void Load_NoGates_IsAConfigurationErrorBecauseGatesFailClosed()
    {
        using var dir = new TempDir();
        var yaml = File.ReadAllText(ModelSpecLoader.PathFor(TestRepo.Root, "bank-marketing"));
        yaml = yaml[..yaml.IndexOf("gates:", StringComparison.Ordinal)];
        var path = WriteSpec(dir, yaml);

        var ex = Should.Throw<ConfigurationException>(() => ModelSpecLoader.Load(TestRepo.Root, path));

        ex.Message.ShouldContain("fail closed");
    }

    [Fact]
    public void Load_GateOnUnknownMetric_NamesTheAllowedMetrics()
    {
        using var dir = new TempDir();
        var yaml = File.ReadAllText(ModelSpecLoader.PathFor(TestRepo.Root, "bank-marketing"))
            .Replace("    auc: 0.65", "    aucc: 0.65", StringComparison.Ordinal);
        var path = WriteSpec(dir, yaml);

        var ex = Should.Throw<ConfigurationException>(() => ModelSpecLoader.Load(TestRepo.Root, path));

        ex.Message.ShouldContain("'gates.minimum.aucc'");
        ex.Message.ShouldContain("did you mean 'auc'");
    }

    private static string WriteSpec(TempDir dir, string yaml)
    {
        // The folder name must match 'name:' in the spec.
        var folder = dir.Combine("bank-marketing");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "model.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
