namespace Tollgate.Benchmarks;

/// <summary>Where the benchmark runs: the repository, a scratch folder for generated inputs, and a log.</summary>
/// <param name="RepoRoot">Repository root.</param>
/// <param name="WorkDir">Scratch folder (artifacts/bench/work) for generated files; large inputs are reused between runs.</param>
/// <param name="Quick">True for a short run (smaller inputs), e.g. in CI smoke checks.</param>
/// <param name="Log">Progress lines.</param>
public sealed record BenchmarkContext(string RepoRoot, string WorkDir, bool Quick, TextWriter Log);
