using Tollgate.Core.Specs;
using Tollgate.Testing;

namespace Tollgate.Data.Tests.Support;

/// <summary>
/// A throw-away copy of the bank-marketing example: model.yaml, the contract and some real daily dumps, so tests can
/// corrupt, quarantine and re-run without touching the repository.
/// </summary>
public sealed class ExampleRepo : IDisposable
{
    private readonly TempDir dir = new("validate-data");

    public ExampleRepo(int dumps = 12, int skip = 0)
    {
        Directory.CreateDirectory(Combine("models", "bank-marketing"));
        Directory.CreateDirectory(Combine("data-contracts"));
        Directory.CreateDirectory(Incoming);
        File.Copy(TestRepo.PathOf("models", "bank-marketing", "model.yaml"), Combine("models", "bank-marketing", "model.yaml"));
        File.Copy(TestRepo.PathOf("data-contracts", "bank-marketing.odcs.yaml"), ContractPath);
        foreach (var f in AllDumps().Skip(skip).Take(dumps))
        {
            AddDump(f);
        }
    }

    public string Root => dir.Path;

    public string Incoming => Combine("data", "incoming", "bank-marketing");

    public string Quarantine => Combine("data", "quarantine", "bank-marketing");

    public string ContractPath => Combine("data-contracts", "bank-marketing.odcs.yaml");

    public ModelSpec Spec => ModelSpecLoader.LoadByName(Root, "bank-marketing");

    /// <summary>The example's dumps in the repository, in date order.</summary>
    public static IReadOnlyList<string> AllDumps() =>
        Directory.EnumerateFiles(TestRepo.PathOf("data", "incoming", "bank-marketing"), "*.csv").Order(StringComparer.Ordinal).ToList();

    public string Combine(params string[] parts) => dir.Combine(parts);

    /// <summary>Copies a real dump (and its sidecar) into the incoming folder; returns the copy's path.</summary>
    public string AddDump(string source, string? name = null)
    {
        var target = Path.Combine(Incoming, name ?? Path.GetFileName(source));
        File.Copy(source, target, overwrite: true);
        if (name is null && File.Exists(source + ".sha256"))
        {
            File.Copy(source + ".sha256", target + ".sha256", overwrite: true);
        }

        return target;
    }

    /// <summary>Rewrites the sidecar of <paramref name="dump"/> to match its current bytes.</summary>
    public static void Reseal(string dump) =>
        File.WriteAllText(dump + ".sha256", $"{Core.IO.Sha256.OfFile(dump)}  {Path.GetFileName(dump)}\n");

    public void Dispose() => dir.Dispose();
}
