using Microsoft.ML;
using Microsoft.ML.Data;
using Tollgate.Core.Errors;
using Tollgate.Core.Specs;
using Tollgate.Modeling.Data;

namespace Tollgate.Modeling.Scoring;

/// <summary>
/// A fitted ML.NET pipeline and the features it reads. Scores whole <see cref="FeatureTable"/>s through
/// <see cref="FeatureDataView"/> — the same path training used — and single rows through pooled
/// <see cref="RowScorer"/>s bound to the same transformer and the same input columns (<see cref="ScoreRows(IReadOnlyList{FeatureRow})"/>), for
/// requests where building a data view per call would cost more than the scoring. Safe to call from several threads:
/// the transformer is immutable, every table call makes its own view and cursor, and a row scorer serves one caller
/// at a time.
/// </summary>
public sealed class TrainedModel : IDisposable
{
    // Idle scorers in fixed slots taken and returned with one Interlocked.Exchange/CompareExchange each. Not a
    // ConcurrentBag: its Count freezes the bag (takes every per-thread lock) and taking from another thread's list
    // locks too — perf showed that as the largest single cost of a served request.
    private readonly RowScorer?[] idleScorers = new RowScorer?[Math.Max(4, Environment.ProcessorCount * 4)];
    private readonly Lazy<TreeEnsembleScorer?> trees;
    private volatile TreeEnsembleScorer? compiled;
    private string? rowScoring;
    private int compiling;
    private int disposed;

    public TrainedModel(ITransformer transformer, FeatureSchema features, TaskKind task)
    {
        Transformer = transformer ?? throw new ArgumentNullException(nameof(transformer));
        Features = features ?? throw new ArgumentNullException(nameof(features));
        Task = task;
        trees = new Lazy<TreeEnsembleScorer?>(CompileTrees, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public ITransformer Transformer { get; }

    public FeatureSchema Features { get; }

    public TaskKind Task { get; }

    /// <summary>
    /// How <see cref="ScoreRows(IReadOnlyList{FeatureRow})"/> scores once settled: straight from the fitted trees, checked
    /// bit for bit against ML.NET (<see cref="TreeEnsembleScorer"/>), or through ML.NET's row mapper and why. The check
    /// costs 0.1-0.5 s of CPU, so the first ScoreRows call starts it on a background thread and rows go through ML.NET
    /// until it is done (same bits either way): a server is ready, and a rollback serves, without waiting for it. Reading
    /// this property waits for the check.
    /// </summary>
    public string RowScoring
    {
        get
        {
            Compile();
            return rowScoring!;
        }
    }

    /// <summary>Loads a <c>model.zip</c> written by <see cref="Training.ModelTrainer.Save"/>.</summary>
    public static TrainedModel Load(string path, FeatureSchema features, TaskKind task)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"{path}: model file not found. Re-run the stage that writes it.");
        }

        try
        {
            var transformer = new MLContext().Model.Load(path, out _);
            return new TrainedModel(transformer, features, task);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new ConfigurationException($"{path}: not a readable ML.NET model ({ex.Message}). Re-run the stage that writes it.");
        }
    }

    /// <summary>Scores every row of <paramref name="table"/> (labels, if any, are ignored).</summary>
    public ScoredRows Score(FeatureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var output = Transformer.Transform(new FeatureDataView(table, Task, includeLabel: false));
        var scores = new double[table.Count];
        var raw = new double[table.Count];
        var scoreColumn = output.Schema["Score"];
        var probabilityColumn = Task == TaskKind.Regression ? (DataViewSchema.Column?)null : output.Schema["Probability"];
        using var cursor = output.GetRowCursor(probabilityColumn is { } p ? [scoreColumn, p] : [scoreColumn]);
        var scoreGetter = cursor.GetGetter<float>(scoreColumn);
        var probabilityGetter = probabilityColumn is { } pc ? cursor.GetGetter<float>(pc) : null;
        var i = 0;
        float value = 0;
        while (cursor.MoveNext())
        {
            scoreGetter(ref value);
            raw[i] = value;
            if (probabilityGetter is not null)
            {
                probabilityGetter(ref value);
            }

            scores[i] = value;
            i++;
        }

        return new ScoredRows(scores, raw);
    }

    /// <summary>
    /// Scores rows one by one through a pooled <see cref="RowScorer"/>: bit for bit the scores
    /// <see cref="Score(FeatureTable)"/> gives for the same rows, at a per-call cost of microseconds instead of building a
    /// data view. Throws <see cref="ArgumentException"/> naming the row and feature when a row does not match the schema.
    /// </summary>
    public ScoredRows ScoreRows(IReadOnlyList<FeatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var scores = new double[rows.Count];
        var raw = new double[rows.Count];
        ScoreRows(rows, scores, raw);
        return new ScoredRows(scores, raw);
    }

    /// <summary>As <see cref="ScoreRows(IReadOnlyList{FeatureRow})"/>, into the caller's spans (one slot per row).</summary>
    public void ScoreRows(IReadOnlyList<FeatureRow> rows, Span<double> scores, Span<double> raw)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (scores.Length < rows.Count || raw.Length < rows.Count)
        {
            throw new ArgumentException($"room for {Math.Min(scores.Length, raw.Length)} scores, {rows.Count} rows given.", nameof(rows));
        }

        // Rows the compiled trees take (all of them, normally) never touch ML.NET; the rest (a missing numeric value, a
        // row that does not match the schema) go through a pooled row scorer, which also reports a bad row.
        var compiled = this.compiled;
        if (compiled is null && Volatile.Read(ref compiling) == 0 && Interlocked.Exchange(ref compiling, 1) == 0)
        {
            new Thread(() => Compile()) { IsBackground = true, Name = "tollgate-compile-trees" }.Start();
        }

        RowScorer? scorer = null;
        var badRow = -1;
        try
        {
            for (var i = 0; i < rows.Count && badRow < 0; i++)
            {
                if (compiled is not null && compiled.TryScore(rows[i], out scores[i], out raw[i]))
                {
                    continue;
                }

                scorer ??= TakeIdle() ?? new RowScorer(Transformer, Features, Task);
                if (!scorer.TryScore(rows[i], out scores[i], out raw[i]))
                {
                    badRow = i;
                }
            }
        }
        catch
        {
            // A scorer that failed inside ML.NET may hold a half-computed row: it is not handed to the next caller.
            scorer?.Dispose();
            throw;
        }

        if (scorer is not null)
        {
            Return(scorer);
        }

        if (badRow >= 0)
        {
            var problems = Features.Validate(rows[badRow]);
            throw new ArgumentException($"row {badRow}: {string.Join(" ", problems.Count > 0 ? problems : ["the row does not match the feature schema."])}", nameof(rows));
        }
    }

    private void Compile() => compiled = trees.Value;

    private TreeEnsembleScorer? CompileTrees()
    {
        try
        {
            using var reference = new RowScorer(Transformer, Features, Task);
            var result = TreeEnsembleScorer.TryCreate(
                Transformer,
                Features,
                Task,
                row => reference.TryScore(row, out var score, out var raw) ? (score, raw) : null,
                out var reason);
            rowScoring = result is not null
                ? $"compiled trees ({result.Trees} trees, {result.Nodes} splits; bit-identical to ML.NET on {result.ProbeRows} probe rows)"
                : $"ML.NET row mapper ({reason})";
            return result;
        }
#pragma warning disable CA1031 // Runs on a background thread: any failure leaves scoring on ML.NET, with the reason, instead of ending the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            rowScoring = $"ML.NET row mapper (compiling the trees failed: {ex.GetType().Name}: {ex.Message})";
            return null;
        }
    }

    private RowScorer? TakeIdle()
    {
        for (var i = 0; i < idleScorers.Length; i++)
        {
            if (Volatile.Read(ref idleScorers[i]) is not null && Interlocked.Exchange(ref idleScorers[i], null) is { } scorer)
            {
                return scorer;
            }
        }

        return null;
    }

    private void Return(RowScorer scorer)
    {
        if (Volatile.Read(ref disposed) == 0)
        {
            for (var i = 0; i < idleScorers.Length; i++)
            {
                if (Volatile.Read(ref idleScorers[i]) is null && Interlocked.CompareExchange(ref idleScorers[i], scorer, null) is null)
                {
                    // Dispose may have run meanwhile and missed this slot: take it back, whoever gets it disposes it.
                    if (Volatile.Read(ref disposed) != 0 && Interlocked.Exchange(ref idleScorers[i], null) is { } late)
                    {
                        late.Dispose();
                    }

                    return;
                }
            }
        }

        scorer.Dispose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        for (var i = 0; i < idleScorers.Length; i++)
        {
            Interlocked.Exchange(ref idleScorers[i], null)?.Dispose();
        }

        (Transformer as IDisposable)?.Dispose();
    }
}
