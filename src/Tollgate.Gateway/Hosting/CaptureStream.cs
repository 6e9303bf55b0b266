using System.Text;

namespace Tollgate.Gateway.Hosting;

/// <summary>
/// Passes the production response through to the client unchanged and keeps a bounded copy for the mirror log,
/// so shadow and production answers to the same request can be compared.
/// </summary>
public sealed class CaptureStream : Stream
{
    private readonly Stream inner;
    private readonly MemoryStream copy = new();
    private readonly int limit;

    public CaptureStream(Stream inner, int limit)
    {
        this.inner = inner;
        this.limit = limit;
    }

    /// <summary>The first <c>limit</c> bytes written, as UTF-8.</summary>
    public string Captured => Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length);

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

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Keep(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            copy.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        var room = limit - (int)copy.Length;
        if (room > 0)
        {
            copy.Write(bytes[..Math.Min(room, bytes.Length)]);
        }
    }
}
