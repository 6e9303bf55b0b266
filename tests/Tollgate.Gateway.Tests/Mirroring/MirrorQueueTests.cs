using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Shouldly;
using Tollgate.Gateway.Mirroring;

namespace Tollgate.Gateway.Tests.Mirroring;

/// <summary>
/// The mirror queue's lifetime: its low-priority threads may start after the gateway is already shutting down, and
/// nothing a mirror thread meets may end the gateway's process.
/// </summary>
public sealed class MirrorQueueTests
{
    [Fact]
    public async Task Dispose_RightAfterStart_ThreadsExitWithoutError()
    {
        // CI once crashed the gateway's test host here: the host runs ExecuteAsync on the thread pool, so the mirror
        // threads could start after Dispose; a helper then waited on the disposed backlog semaphore and the
        // ObjectDisposedException on its background thread ended the process.
        var logger = new ErrorLogger();
        for (var cycle = 0; cycle < 200; cycle++)
        {
            var queue = new MirrorQueue(capacity: 16, concurrency: 4, logger);
            await queue.StartAsync(CancellationToken.None);
            if (cycle % 2 == 1)
            {
                await Task.Delay(2, TestContext.Current.CancellationToken); // let the threads start before Dispose, every other cycle
            }

            queue.Dispose();

            queue.Stopped.ShouldBeTrue($"cycle {cycle}: a mirror thread still runs after Dispose");
        }

        logger.Errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task LowPriorityThread_BodyThrows_FailureReportedNotFatal()
    {
        var reported = new TaskCompletionSource<(string Name, Exception Error)>(TaskCreationOptions.RunContinuationsAsynchronously);

        var thread = LowPriorityThread.Start(
            "tollgate-test",
            () => throw new InvalidOperationException("boom"),
            (name, ex) => reported.TrySetResult((name, ex)));

        var (name, error) = await reported.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        thread.Join(TimeSpan.FromSeconds(10)).ShouldBeTrue();
        name.ShouldBe("tollgate-test");
        error.ShouldBeOfType<InvalidOperationException>().Message.ShouldBe("boom");
    }

    private sealed class ErrorLogger : ILogger<MirrorQueue>
    {
        public ConcurrentQueue<string> Errors { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                Errors.Enqueue(formatter(state, exception) + " " + exception);
            }
        }
    }
}
