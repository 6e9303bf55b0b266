using System.Threading.Channels;
using Tollgate.Modeling.Scoring;

namespace Tollgate.Serving.Scoring;

/// <summary>
/// Natural batching: rows of requests that arrive while the scorers are busy are scored together in one
/// <see cref="IScoringModel.Score"/> call. A model call has a fixed cost (building the ML.NET data view) that dwarfs the
/// per-row cost, so under load this multiplies throughput; at low load a request is scored at once, with no added wait.
/// Rows are independent, so a row's score does not depend on what it was batched with, and every request still goes
/// through the one feature path.
/// </summary>
public sealed class ScoringBatcher : IAsyncDisposable
{
    private readonly IScoringModel model;
    private readonly int maxRows;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Task[] scorers;

    /// <param name="model">The model.</param>
    /// <param name="scorers">Concurrent model calls. <value>Default: one per core.</value></param>
    /// <param name="maxRows">Rows gathered into one call at most. <value>Default 256.</value></param>
    public ScoringBatcher(IScoringModel model, int scorers = 0, int maxRows = 256)
    {
        this.model = model;
        this.maxRows = maxRows;
        this.scorers = [.. Enumerable.Range(0, scorers > 0 ? scorers : Environment.ProcessorCount).Select(_ => Task.Run(LoopAsync))];
    }

    public Task<IReadOnlyList<Prediction>> ScoreAsync(IReadOnlyList<FeatureRow> rows)
    {
        var pending = new Pending(rows, new TaskCompletionSource<IReadOnlyList<Prediction>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            pending.Done.SetException(new ObjectDisposedException(nameof(ScoringBatcher)));
        }

        return pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(scorers).ConfigureAwait(false);
    }

    private async Task LoopAsync()
    {
        var reader = queue.Reader;
        var batch = new List<Pending>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var rows = 0;
            while (rows < maxRows && reader.TryRead(out var next))
            {
                batch.Add(next);
                rows += next.Rows.Count;
            }

            if (batch.Count > 0)
            {
                Score(batch, rows);
            }
        }
    }

    private void Score(List<Pending> batch, int rows)
    {
        if (batch.Count == 1)
        {
            Complete(batch[0], () => model.Score(batch[0].Rows));
            return;
        }

        var all = new List<FeatureRow>(rows);
        foreach (var p in batch)
        {
            all.AddRange(p.Rows);
        }

        IReadOnlyList<Prediction> predictions;
        try
        {
            predictions = model.Score(all);
        }
#pragma warning disable CA1031 // One request's failure must not fail the requests it was batched with: score them alone.
        catch (Exception)
#pragma warning restore CA1031
        {
            foreach (var p in batch)
            {
                Complete(p, () => model.Score(p.Rows));
            }

            return;
        }

        var offset = 0;
        foreach (var p in batch)
        {
            var slice = new Prediction[p.Rows.Count];
            for (var i = 0; i < slice.Length; i++)
            {
                slice[i] = predictions[offset + i];
            }

            offset += slice.Length;
            p.Done.SetResult(slice);
        }
    }

    private static void Complete(Pending pending, Func<IReadOnlyList<Prediction>> score)
    {
        try
        {
            pending.Done.SetResult(score());
        }
#pragma warning disable CA1031 // The exception belongs to the request: it is rethrown where the request awaits it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            pending.Done.SetException(ex);
        }
    }

    private sealed record Pending(IReadOnlyList<FeatureRow> Rows, TaskCompletionSource<IReadOnlyList<Prediction>> Done);
}
