using System.Text.Json.Nodes;

namespace Tollgate.Benchmarks;

/// <summary>
/// One benchmark: measures our code and, in the same run, a reference (raw parsing, pandas, a bare endpoint), and
/// reports figures as ratios against it. Discovered by reflection; each writes artifacts/bench/&lt;Name&gt;.json.
/// </summary>
public interface IBenchmark
{
    /// <summary>File-name-safe name, e.g. <c>validate-data</c>.</summary>
    string Name { get; }

    Task<JsonObject> RunAsync(BenchmarkContext context, CancellationToken cancellationToken);
}
