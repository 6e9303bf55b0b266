using System.Buffers.Text;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Tollgate.Gateway.Mirroring;

/// <summary>
/// One mirror thread's keep-alive HTTP/1.1 connection to the shadow, spoken synchronously over a socket with buffers
/// reused from copy to copy. The gateway is the process every production request goes through, and HttpClient's
/// request and response objects were most of the 3.4 KB each copy left for its garbage collector; here a copy
/// allocates only the exact-size array of the shadow's answer that the log needs. Answers are read with
/// Content-Length, chunked, or up to the close; a keep-alive connection the shadow closed while idle is reopened and
/// the copy sent once more. Not thread-safe: one per mirror thread.
/// </summary>
internal sealed class ShadowConnection : IDisposable
{
    private const int HeaderLimit = 16 * 1024;
    private readonly Uri shadow;
    private readonly TimeSpan timeout;
    private readonly int maxBodyBytes;
    private byte[] request = new byte[4096];
    private readonly byte[] buffer = new byte[HeaderLimit + (64 * 1024)];
    private readonly byte[] body;
    private Socket? socket;
    private bool used;

    public ShadowConnection(Uri shadow, TimeSpan timeout, int maxBodyBytes)
    {
        this.shadow = shadow;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
        body = new byte[maxBodyBytes];
    }

    /// <summary>The shadow this connection talks to (scheme, host and port).</summary>
    public Uri Shadow => shadow;

    /// <summary>Sends one copy and reads the whole answer: its status and the first <c>maxBodyBytes</c> of its body.</summary>
    /// <exception cref="IOException">The shadow refused, closed, timed out or answered something that is not HTTP/1.1.</exception>
    public (int Status, byte[] Body) Send(MirrorItem item)
    {
        var length = Compose(item);
        for (var attempt = 0; ; attempt++)
        {
            var reused = used && socket is not null;
            try
            {
                var s = socket ??= Open();
                used = true;
                s.Send(request.AsSpan(0, length));
                return Receive(s, item.Method == "HEAD");
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
            {
                Close();
                if (reused && attempt == 0 && ex is ClosedBeforeAnswerException)
                {
                    continue; // the shadow closed the idle keep-alive connection: once more on a fresh one
                }

                throw ex as IOException ?? new IOException(ex.Message, ex);
            }
        }
    }

    public void Dispose() => Close();

    private Socket Open()
    {
        var s = new Socket(SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            SendTimeout = (int)timeout.TotalMilliseconds,
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
        };
        try
        {
            var connect = s.BeginConnect(shadow.Host, shadow.Port, null, null);
            if (!connect.AsyncWaitHandle.WaitOne(timeout))
            {
                throw new IOException($"connecting to {shadow.Authority} timed out after {timeout.TotalSeconds:0.#} s");
            }

            s.EndConnect(connect);
            return s;
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    private void Close()
    {
        socket?.Dispose();
        socket = null;
        used = false;
    }

    /// <summary>Writes the request line, headers and body into the reused request buffer; returns its length.</summary>
    private int Compose(MirrorItem item)
    {
        var target = item.PathAndQuery;
        if (target.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            target = new Uri(shadow, target).PathAndQuery; // escaped as HttpClient would (rare: a raw space or non-ASCII)
        }

        var hasBody = item.Body.Length > 0 || item.Method is "POST" or "PUT" or "PATCH";
        var needed = 256 + item.Method.Length + target.Length + shadow.Authority.Length + (item.ContentType?.Length ?? 0) + item.RequestId.Length + item.Body.Length;
        if (request.Length < needed)
        {
            request = new byte[Math.Max(needed, request.Length * 2)];
        }

        var at = 0;
        void Text(string text) => at += Encoding.ASCII.GetBytes(text, request.AsSpan(at));
        void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(request.AsSpan(at));
            at += bytes.Length;
        }

        Text(item.Method);
        Bytes(" "u8);
        Text(target);
        Bytes(" HTTP/1.1\r\nHost: "u8);
        Text(shadow.Authority);
        if (item.ContentType is { } contentType && hasBody)
        {
            Bytes("\r\nContent-Type: "u8);
            Text(contentType);
        }

        if (hasBody)
        {
            Bytes("\r\nContent-Length: "u8);
            item.Body.Length.TryFormat(request.AsSpan(at), out var written, provider: CultureInfo.InvariantCulture);
            at += written;
        }

        Bytes("\r\nX-Tollgate-Mirror: "u8);
        Text(item.RequestId);
        Bytes("\r\n\r\n"u8);
        Bytes(item.Body.Span);
        return at;
    }

    /// <summary>Reads one response: status line and headers, then the body by Content-Length, chunks, or to the close.</summary>
    private (int Status, byte[] Body) Receive(Socket s, bool headOnly)
    {
        var length = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (length == HeaderLimit)
            {
                throw new IOException($"the shadow's response headers exceed {HeaderLimit} bytes");
            }

            var read = s.Receive(buffer, length, HeaderLimit - length, SocketFlags.None);
            if (read == 0)
            {
                throw length == 0 ? new ClosedBeforeAnswerException() : new IOException("the shadow closed the connection mid-answer");
            }

            length += read;
        }

        var head = buffer.AsSpan(0, headerEnd);
        if (!head.StartsWith("HTTP/1."u8) || head.Length < 12 || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
        {
            throw new IOException("the shadow's answer is not HTTP/1.x");
        }

        var contentLength = TryHeader(head, "content-length"u8, out var cl) && Utf8Parser.TryParse(cl, out long declared, out _) ? declared : -1;
        var chunked = TryHeader(head, "transfer-encoding"u8, out var te) && te.IndexOf("chunked"u8) >= 0;
        var close = TryHeader(head, "connection"u8, out var connection) && Ascii.EqualsIgnoreCase(connection, "close"u8);
        var reader = new BodyReader(s, buffer, headerEnd + 4, length);
        var kept = 0;
        if (headOnly || status is 204 or 304 || (status >= 100 && status < 200))
        {
            // No body by definition.
        }
        else if (chunked)
        {
            while (true)
            {
                var line = reader.ReadLine();
                var semicolon = line.IndexOf((byte)';');
                if (!Utf8Parser.TryParse(semicolon >= 0 ? line[..semicolon] : line, out long size, out _, 'x') || size < 0)
                {
                    throw new IOException("malformed chunk size in the shadow's answer");
                }

                if (size == 0)
                {
                    while (reader.ReadLine().Length > 0)
                    {
                        // trailers: ignored
                    }

                    break;
                }

                kept += reader.Copy(size, body.AsSpan(kept));
                reader.ReadLine(); // the CRLF after the chunk
            }
        }
        else if (contentLength >= 0)
        {
            kept = reader.Copy(contentLength, body);
        }
        else
        {
            kept = reader.CopyToEnd(body);
            close = true;
        }

        if (close)
        {
            Close();
        }

        return (status, body.AsSpan(0, kept).ToArray());
    }

    /// <summary>The value of a header (case-insensitive name), trimmed.</summary>
    private static bool TryHeader(ReadOnlySpan<byte> head, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var rest = head;
        while (rest.IndexOf("\r\n"u8) is var end and >= 0)
        {
            rest = rest[(end + 2)..];
            var line = rest.IndexOf("\r\n"u8) is var next and >= 0 ? rest[..next] : rest;
            var colon = line.IndexOf((byte)':');
            if (colon == name.Length && Ascii.EqualsIgnoreCase(line[..colon], name))
            {
                value = line[(colon + 1)..].Trim((byte)' ');
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Reading an answer whose bytes may already be in the buffer (after the headers) or still in the socket.</summary>
    private ref struct BodyReader(Socket socket, byte[] buffer, int start, int end)
    {
        private int start = start;
        private int end = end;

        /// <summary>Reads <paramref name="count"/> bytes, keeping what fits in <paramref name="into"/>; returns how many were kept.</summary>
        public int Copy(long count, Span<byte> into)
        {
            var kept = 0;
            while (count > 0)
            {
                if (start == end)
                {
                    Fill(required: true);
                }

                var take = (int)Math.Min(count, end - start);
                var keep = Math.Min(take, into.Length - kept);
                buffer.AsSpan(start, keep).CopyTo(into[kept..]);
                kept += keep;
                start += take;
                count -= take;
            }

            return kept;
        }

        public int CopyToEnd(Span<byte> into)
        {
            var kept = 0;
            while (true)
            {
                if (start == end && !Fill(required: false))
                {
                    return kept;
                }

                var keep = Math.Min(end - start, into.Length - kept);
                buffer.AsSpan(start, keep).CopyTo(into[kept..]);
                kept += keep;
                start = end;
            }
        }

        /// <summary>The next line without its CRLF (chunk sizes and trailers).</summary>
        public ReadOnlySpan<byte> ReadLine()
        {
            while (true)
            {
                var at = buffer.AsSpan(start, end - start).IndexOf("\r\n"u8);
                if (at >= 0)
                {
                    var line = buffer.AsSpan(start, at);
                    start += at + 2;
                    return line;
                }

                if (end - start >= HeaderLimit)
                {
                    throw new IOException("a chunk line in the shadow's answer is too long");
                }

                Fill(required: true);
            }
        }

        /// <summary>Moves what is left to the front and reads more; false at the end of the stream when not required.</summary>
        private bool Fill(bool required)
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            var read = socket.Receive(buffer, end, buffer.Length - end, SocketFlags.None);
            if (read == 0)
            {
                return required ? throw new IOException("the shadow closed the connection mid-answer") : false;
            }

            end += read;
            return true;
        }
    }

    /// <summary>The shadow closed the connection before answering at all (an idle keep-alive connection it dropped).</summary>
    private sealed class ClosedBeforeAnswerException() : IOException("the shadow closed the connection before answering");
}
