using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Tollgate.Benchmarks.LoadGeneration;

/// <summary>
/// Open-loop HTTP/1.1 load, the wrk2 model: request i is due at start + i/rate whatever earlier answers do, and its
/// latency counts from that due time, so a slow answer cannot hide the queueing it causes (no coordinated omission).
/// Built to cost the measured servers as little CPU as possible on a two-core machine, where every thread wake-up is
/// expensive: one thread, one epoll set (Linux), a timerfd armed at the next due time (nanosecond precision, no
/// spinning), prebuilt requests written with send(2) on keep-alive sockets, answers read with recv(2) and parsed in
/// place without allocating. It runs in its own process (<see cref="LoadGeneratorProcess"/>). A request due while
/// every connection is busy waits for the first one free — that wait is part of its latency.
/// </summary>
internal sealed unsafe partial class OpenLoopGenerator : IDisposable
{
    private const int TimerId = -1;
    private readonly Uri url;
    private readonly byte[][] requests;
    private readonly List<Connection> connections = [];
    private readonly Queue<Connection> free = new(); // first in, first out: every connection stays in use, none idles into the server's keep-alive timeout
    private readonly Queue<int> waiting = new();
    private readonly int epoll;
    private readonly int timer;
    private readonly int eventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16; // packed on x86-64
    private readonly byte[] events;

    public OpenLoopGenerator(Uri url, IReadOnlyList<byte[]> bodies)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the open-loop load generator uses epoll and timerfd (Linux)");
        }

        this.url = url;
        requests = [.. bodies.Select(b => Encoding.ASCII.GetBytes(
            $"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nContent-Length: {b.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n").Concat(b).ToArray())];
        epoll = Check(EpollCreate1(0), "epoll_create1");
        timer = Check(TimerFdCreate(1 /* CLOCK_MONOTONIC, Stopwatch's clock on Linux */, 0), "timerfd_create");
        events = new byte[256 * eventSize];
        Register(timer, TimerId);
    }

    public void Connect(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var connection = new Connection(connections.Count);
            connection.Open(url);
            connections.Add(connection);
            free.Enqueue(connection);
            Register(connection.Fd, connection.Id);
        }
    }

    /// <summary>Sends <paramref name="rate"/> requests a second for <paramref name="duration"/> and waits for every answer.</summary>
    public BlockLatencies Run(double rate, TimeSpan duration)
    {
        var total = Math.Max(1, (int)Math.Round(rate * duration.TotalSeconds));
        var due = new long[total];
        var sent = new long[total];
        var answered = new long[total];
        var lag = new long[total];
        var failures = 0;
        string? error = null;
        var ticksPerRequest = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 1000); // a millisecond to settle
        for (var i = 0; i < total; i++)
        {
            due[i] = start + (long)(i * ticksPerRequest);
        }

        var next = 0;
        var completed = 0;
        var deadline = start + (long)((duration.TotalSeconds + 30) * Stopwatch.Frequency);
        var armed = due[0];
        Arm(armed);
        fixed (byte* buffer = events)
        {
            while (completed < total)
            {
                var count = EpollWait(epoll, buffer, events.Length / eventSize, 1000);
                if (count < 0)
                {
                    if (Marshal.GetLastPInvokeError() == 4 /* EINTR */)
                    {
                        continue;
                    }

                    throw new IOException($"epoll_wait failed (errno {Marshal.GetLastPInvokeError()})");
                }

                for (var e = 0; e < count; e++)
                {
                    var id = (int)BinaryPrimitives.ReadInt64LittleEndian(events.AsSpan((e * eventSize) + 4, 8));
                    if (id == TimerId)
                    {
                        ulong expirations;
                        _ = Read(timer, &expirations, 8);
                        continue;
                    }

                    var connection = connections[id];
                    var outcome = connection.Receive();
                    if (outcome == Connection.Answer.None)
                    {
                        continue;
                    }

                    var index = connection.Index;
                    connection.Index = -1;
                    if (index >= 0)
                    {
                        answered[index] = Stopwatch.GetTimestamp();
                        completed++;
                        if (outcome != Connection.Answer.Success)
                        {
                            failures++;
                            error ??= connection.Error;
                        }
                    }

                    if (outcome == Connection.Answer.Closed)
                    {
                        // Closed by the server (idle, or failed): a fresh socket takes its place, as a client's pool would.
                        Unregister(connection.Fd);
                        connection.Open(url);
                        Register(connection.Fd, connection.Id);
                        if (index < 0)
                        {
                            continue; // it was idle and already in the free queue
                        }
                    }

                    if (waiting.TryDequeue(out var queued))
                    {
                        Send(connection, queued);
                    }
                    else
                    {
                        free.Enqueue(connection);
                    }
                }

                // Everything due by now goes out (the timer fired, or answers took us past a due time).
                var now = Stopwatch.GetTimestamp();
                while (next < total && due[next] <= now)
                {
                    lag[next] = now - due[next];
                    if (free.TryDequeue(out var connection))
                    {
                        Send(connection, next);
                    }
                    else
                    {
                        waiting.Enqueue(next);
                    }

                    next++;
                }

                if (next < total && due[next] != armed)
                {
                    armed = due[next];
                    Arm(armed);
                }

                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"{total - completed} of {total} requests to {url} unanswered 30 s after the last was due");
                }
            }
        }

        var seconds = (double)(Stopwatch.GetTimestamp() - start) / Stopwatch.Frequency;
        var ms = 1000.0 / Stopwatch.Frequency;
        var fromDue = new float[total];
        var fromSend = new float[total];
        var lags = new float[total];
        for (var i = 0; i < total; i++)
        {
            fromDue[i] = (float)((answered[i] - due[i]) * ms);
            fromSend[i] = (float)((answered[i] - sent[i]) * ms);
            lags[i] = (float)(lag[i] * ms);
        }

        return new BlockLatencies(rate, total / seconds, failures, error, fromDue, fromSend, lags);

        void Send(Connection connection, int index)
        {
            connection.Index = index;
            sent[index] = Stopwatch.GetTimestamp();
            if (!connection.Send(requests[index % requests.Length]))
            {
                answered[index] = sent[index];
                completed++;
                failures++;
                error ??= connection.Error;
            }
        }
    }

    public void Dispose()
    {
        foreach (var connection in connections)
        {
            connection.Socket?.Dispose();
        }

        _ = Close(timer);
        _ = Close(epoll);
    }

    private void Arm(long dueTimestamp)
    {
        // Stopwatch ticks are CLOCK_MONOTONIC nanoseconds on Linux; an absolute one-shot timer.
        var nanoseconds = dueTimestamp * (1_000_000_000L / Stopwatch.Frequency);
        var spec = stackalloc long[4];
        spec[0] = 0;
        spec[1] = 0;
        spec[2] = nanoseconds / 1_000_000_000L;
        spec[3] = Math.Max(1, nanoseconds % 1_000_000_000L);
        Check(TimerFdSetTime(timer, 1 /* TFD_TIMER_ABSTIME */, spec, null), "timerfd_settime");
    }

    private void Register(int fd, long id)
    {
        var ev = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(ev, 4), 1 /* EPOLLIN */);
        BinaryPrimitives.WriteInt64LittleEndian(new Span<byte>(ev + 4, 8), id);
        Check(EpollCtl(epoll, 1 /* EPOLL_CTL_ADD */, fd, ev), "epoll_ctl");
    }

    private void Unregister(int fd) => _ = EpollCtl(epoll, 2 /* EPOLL_CTL_DEL */, fd, null);

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new IOException($"{call} failed (errno {Marshal.GetLastPInvokeError()})");

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epfd, byte* events, int maxEvents, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "timerfd_create", SetLastError = true)]
    private static partial int TimerFdCreate(int clock, int flags);

    [LibraryImport("libc", EntryPoint = "timerfd_settime", SetLastError = true)]
    private static partial int TimerFdSetTime(int fd, int flags, long* newValue, long* oldValue);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, void* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint SendTo(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    /// <summary>One keep-alive socket with at most one request outstanding.</summary>
    private sealed class Connection(int id)
    {
        private const int NoSignal = 0x4000; // MSG_NOSIGNAL
        private readonly byte[] buffer = new byte[64 * 1024];
        private int length;

        public enum Answer
        {
            None,
            Success,
            Failure,
            Closed,
        }

        public Socket? Socket { get; private set; }

        public int Id { get; } = id;

        public int Fd { get; private set; } = -1;

        public int Index { get; set; } = -1;

        public string? Error { get; private set; }

        /// <summary>Connects (again: a socket the server closed is replaced, as a client's pool would).</summary>
        public void Open(Uri url)
        {
            Socket?.Dispose();
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Connect(url.Host, url.Port);
            socket.Blocking = false;
            Socket = socket;
            Fd = (int)socket.SafeHandle.DangerousGetHandle();
            length = 0;
        }

        public bool Send(byte[] request)
        {
            fixed (byte* p = request)
            {
                var written = 0;
                while (written < request.Length)
                {
                    var n = SendTo(Fd, p + written, request.Length - written, NoSignal);
                    if (n < 0)
                    {
                        var errno = Marshal.GetLastPInvokeError();
                        if (errno == 11 /* EAGAIN */)
                        {
                            Thread.Yield(); // the kernel's buffer is full: rare for a request of a few hundred bytes
                            continue;
                        }

                        Error = $"send failed (errno {errno})";
                        return false;
                    }

                    written += (int)n;
                }
            }

            return true;
        }

        /// <summary>Reads what arrived; says whether a whole answer is now complete.</summary>
        public Answer Receive()
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = Recv(Fd, p + length, buffer.Length - length, 0);
            }

            if (n < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == 11 /* EAGAIN */)
                {
                    return Answer.None;
                }

                Error = $"recv failed (errno {errno})";
                return Answer.Closed;
            }

            if (n == 0)
            {
                Error = "the server closed the connection";
                return Answer.Closed;
            }

            length += (int)n;
            if (!TryParse(buffer.AsSpan(0, length), out var consumed, out var status))
            {
                if (length == buffer.Length)
                {
                    Error = $"an answer exceeds {buffer.Length} bytes";
                    return Answer.Closed;
                }

                return Answer.None;
            }

            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
            if (status is >= 200 and < 300)
            {
                return Answer.Success;
            }

            Error = $"HTTP {status}";
            return Answer.Failure;
        }

        /// <summary>One whole response at the start of <paramref name="data"/> (Content-Length or chunked)?</summary>
        private static bool TryParse(ReadOnlySpan<byte> data, out int consumed, out int status)
        {
            consumed = 0;
            status = 0;
            var headerEnd = data.IndexOf("\r\n\r\n"u8);
            if (headerEnd < 12)
            {
                return false;
            }

            _ = Utf8Parser.TryParse(data.Slice(9, 3), out status, out _);
            var headers = data[..headerEnd];
            var bodyStart = headerEnd + 4;
            var at = IndexOfHeader(headers, "\r\ncontent-length:"u8);
            if (at >= 0)
            {
                var value = headers[(at + 17)..];
                var end = value.IndexOf("\r\n"u8);
                value = (end >= 0 ? value[..end] : value).Trim((byte)' ');
                _ = Utf8Parser.TryParse(value, out int bodyLength, out _);
                if (data.Length - bodyStart < bodyLength)
                {
                    return false;
                }

                consumed = bodyStart + bodyLength;
                return true;
            }

            // Chunked: walk the chunks to the terminating zero-length one.
            var position = bodyStart;
            while (true)
            {
                var lineEnd = data[position..].IndexOf("\r\n"u8);
                if (lineEnd < 0)
                {
                    return false;
                }

                if (!Utf8Parser.TryParse(data.Slice(position, lineEnd), out int size, out _, 'x'))
                {
                    throw new InvalidDataException("malformed chunk size in an answer");
                }

                position += lineEnd + 2 + size + 2;
                if (position > data.Length)
                {
                    return false;
                }

                if (size == 0)
                {
                    consumed = position;
                    return true;
                }
            }
        }

        private static int IndexOfHeader(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> lowerName)
        {
            var i = headers.IndexOf((byte)'\r');
            while (i >= 0 && i + lowerName.Length <= headers.Length)
            {
                if (Ascii.EqualsIgnoreCase(headers.Slice(i, lowerName.Length), lowerName))
                {
                    return i;
                }

                var next = headers[(i + 1)..].IndexOf((byte)'\r');
                i = next < 0 ? -1 : i + 1 + next;
            }

            return -1;
        }
    }
}
