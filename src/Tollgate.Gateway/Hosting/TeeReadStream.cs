namespace Tollgate.Gateway.Hosting;

/// <summary>
/// The request body as the forwarder reads it, with a copy kept for the shadow: production's bytes pass through once and
/// are copied as they go, so mirroring adds no read pass and no await before production is called. The copy is usable
/// only when the forwarder read the body to its end within <c>limit</c> bytes (<see cref="TryGetBody"/>).
/// </summary>
public sealed class TeeReadStream : Stream
{
    private readonly Stream inner;
    private readonly int limit;
    private byte[] copy;
    private int length;
    private bool ended;
    private bool overflowed;

    /// <param name="inner">The request body.</param>
    /// <param name="expectedLength">Content-Length when known (sizes the copy exactly), else null.</param>
    /// <param name="limit">Largest body copied; a longer one is forwarded but not mirrored.</param>
    public TeeReadStream(Stream inner, long? expectedLength, int limit)
    {
        this.inner = inner;
        this.limit = limit;
        copy = new byte[(int)Math.Clamp(expectedLength ?? 1024, 0, limit)];
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The whole body, when it was read to its end and fitted the limit.</summary>
    public bool TryGetBody(out ReadOnlyMemory<byte> body)
    {
        body = ended && !overflowed ? copy.AsMemory(0, length) : default;
        return ended && !overflowed;
    }

    public override int Read(byte[] buffer, int offset, int count) => Keep(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Keep(buffer[..inner.Read(buffer)]);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Keep(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Keep(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            ended = true;
            return 0;
        }

        if (overflowed)
        {
            return bytes.Length;
        }

        if (length + bytes.Length > limit)
        {
            overflowed = true;
            return bytes.Length;
        }

        if (length + bytes.Length > copy.Length)
        {
            Array.Resize(ref copy, Math.Min(limit, Math.Max(copy.Length * 2, length + bytes.Length)));
        }

        bytes.CopyTo(copy.AsSpan(length));
        length += bytes.Length;
        return bytes.Length;
    }
}
