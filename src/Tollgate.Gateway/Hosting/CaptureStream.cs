namespace Tollgate.Gateway.Hosting;

/// <summary>
/// Passes the production response through to the client unchanged and keeps a bounded copy of its bytes for the
/// mirror log, so shadow and production answers to the same request can be compared. Only bytes are copied here; the
/// mirror worker decodes them off the request path.
/// </summary>
public sealed class CaptureStream : Stream
{
    private readonly Stream inner;
    private readonly int limit;
    private byte[] copy = [];
    private int length;

    public CaptureStream(Stream inner, int limit)
    {
        this.inner = inner;
        this.limit = limit;
    }

    /// <summary>The first <c>limit</c> bytes written.</summary>
    public ReadOnlyMemory<byte> Captured => copy.AsMemory(0, length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Keep(buffer.AsSpan(offset, count));
        inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Keep(buffer);
        inner.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Keep(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        var take = Math.Min(limit - length, bytes.Length);
        if (take <= 0)
        {
            return;
        }

        if (length + take > copy.Length)
        {
            Array.Resize(ref copy, Math.Min(limit, Math.Max(Math.Max(copy.Length * 2, 512), length + take)));
        }

        bytes[..take].CopyTo(copy.AsSpan(length));
        length += take;
    }
}
