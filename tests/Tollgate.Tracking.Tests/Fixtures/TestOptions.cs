using Tollgate.Tracking.Configuration;

namespace Tollgate.Tracking.Tests.Fixtures;

/// <summary>Tracking options for tests: tiny backoff so retries cost milliseconds.</summary>
public static class TestOptions
{
    public static TrackingOptions For(string uri, string queueDir = "", bool optional = false, int retries = 2) => new()
    {
        TrackingUri = uri,
        ExperimentName = "bank-marketing",
        RegisteredModelName = "bank-marketing",
        Optional = optional,
        MaxRetries = retries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RequestTimeout = TimeSpan.FromSeconds(10),
        QueueDirectory = queueDir.Length > 0 ? queueDir : Path.Combine(Path.GetTempPath(), "tollgate-unused-queue"),
    };

    /// <summary>A handler answering each request with the next transcript exchange, in order.</summary>
    public static Func<RecordedRequest, (int Status, string Body)> Script(params Exchange[] exchanges)
    {
        var queue = new Queue<Exchange>(exchanges);
        return _ =>
        {
            lock (queue)
            {
                var e = queue.Dequeue();
                return (e.Status, e.ResponseBody);
            }
        };
    }
}
