using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Data.Scanning;

/// <summary>
/// Reads a file once, front to back, hashing every byte, and cuts it into blocks that end at a record boundary: the last
/// newline with an even number of quote bytes before it in the block. A record longer than the limit (a runaway quote,
/// a 1 GB line) is cut or skipped and reported, so memory stays bounded whatever the input.
/// </summary>
internal sealed class BlockReader : IDisposable
{
    private readonly FileStream stream;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash? hmac;
    private readonly byte quote;
    private readonly int blockBytes;
    private readonly int maxRecordBytes;
    private byte[] pending;
    private int pendingLength;
    private bool eof;
    private long offset;      // file offset of pending[0]
    private long line = 1;    // line number of pending[0]

    public BlockReader(string path, char quote, int blockBytes, int maxRecordBytes, byte[]? hmacKey = null)
    {
        hmac = hmacKey is null ? null : IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, hmacKey);
        stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        Length = stream.Length;
        this.quote = (byte)quote;
        this.blockBytes = blockBytes;
        this.maxRecordBytes = Math.Max(maxRecordBytes, blockBytes);
        // Small files get small buffers: 561 daily dumps must not each take a 4 MiB block from the pool.
        pending = ArrayPool<byte>.Shared.Rent((int)Math.Min(blockBytes, Length + 1));
        Fill();
        if (pendingLength >= 3 && pending[0] == 0xEF && pending[1] == 0xBB && pending[2] == 0xBF)
        {
            HasBom = true;
            Consume(3, countLines: false);
        }
    }

    public long Length { get; }

    public bool HasBom { get; }

    /// <summary>Lines taken by the header (1 after <see cref="ReadHeader"/>).</summary>
    public long HeaderLines { get; private set; }

    public byte[] HeaderBytes { get; private set; } = [];

    public IssueSamples LongRecords { get; } = new();

    /// <summary>HMAC-SHA256 of the bytes (hex), when a key was given; set by <see cref="FinishHash"/>.</summary>
    public string? Hmac { get; private set; }

    /// <summary>The first line without its line break, or null when no line break comes within the record limit.</summary>
    public string? ReadHeader()
    {
        while (true)
        {
            var nl = pending.AsSpan(0, pendingLength).IndexOf((byte)'\n');
            if (nl >= 0 || eof)
            {
                var end = nl >= 0 ? nl : pendingLength;
                var bytes = pending.AsSpan(0, end);
                if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
                {
                    bytes = bytes[..^1];
                }

                HeaderBytes = bytes.ToArray();
                Consume(nl >= 0 ? nl + 1 : pendingLength, countLines: true);
                HeaderLines = 1;
                return Encoding.UTF8.GetString(HeaderBytes);
            }

            if (pendingLength >= maxRecordBytes)
            {
                return null;
            }

            Grow();
        }
    }

    /// <summary>Blocks of whole records until the end of the file. The caller returns each buffer to the pool.</summary>
    public IEnumerable<Block> Blocks()
    {
        while (true)
        {
            Fill();
            if (pendingLength == 0)
            {
                yield break;
            }

            var cut = eof ? pendingLength : Boundary(pending.AsSpan(0, pendingLength), quote);
            if (cut <= 0)
            {
                if (pendingLength < maxRecordBytes)
                {
                    Grow();
                    continue;
                }

                // No record boundary within the limit: cut at any newline (a runaway quote), or skip a giant line.
                var anyNewline = pending.AsSpan(0, pendingLength).LastIndexOf((byte)'\n');
                if (anyNewline < 0)
                {
                    SkipLine();
                    continue;
                }

                LongRecords.Add(line, $"a quoted field runs past {maxRecordBytes / (1 << 20)} MiB; cut at a line break");
                cut = anyNewline + 1;
            }

            var block = new Block(pending, cut, line, offset);
            var newlines = pending.AsSpan(0, cut).Count((byte)'\n');
            var rest = pendingLength - cut;
            var next = ArrayPool<byte>.Shared.Rent(Math.Max((int)Math.Min(blockBytes, Length - offset - cut + 1), rest + 1));
            pending.AsSpan(cut, rest).CopyTo(next);
            pending = next;
            pendingLength = rest;
            offset += cut;
            line += newlines;
            yield return block;
        }
    }

    public string FinishHash()
    {
        // Hash whatever was not read (an early return on an empty or headerless file) so the digest is of the whole file.
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            hmac?.AppendData(buffer, 0, n);
        }

        ArrayPool<byte>.Shared.Return(buffer);
        Hmac = hmac is null ? null : DumpScanner.Hash(hmac);
        return DumpScanner.Hash(hash);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(pending);
        stream.Dispose();
        hash.Dispose();
        hmac?.Dispose();
    }

    /// <summary>End of the last newline that has an even count of quote bytes before it; 0 when there is none.</summary>
    internal static int Boundary(ReadOnlySpan<byte> s, byte quote)
    {
        var p = s.LastIndexOf((byte)'\n');
        if (p < 0)
        {
            return 0;
        }

        var quotes = s[..p].Count(quote);
        while (true)
        {
            if ((quotes & 1) == 0)
            {
                return p + 1;
            }

            var previous = s[..p].LastIndexOf((byte)'\n');
            if (previous < 0)
            {
                return 0;
            }

            quotes -= s[previous..p].Count(quote);
            p = previous;
        }
    }

    private void SkipLine()
    {
        var start = line;
        long skipped = 0;
        while (true)
        {
            var nl = pending.AsSpan(0, pendingLength).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                skipped += nl + 1;
                Consume(nl + 1, countLines: false);
                line++;
                break;
            }

            skipped += pendingLength;
            offset += pendingLength;
            pendingLength = 0;
            Fill();
            if (pendingLength == 0)
            {
                break;
            }
        }

        LongRecords.Add(start, $"{skipped:N0} bytes without a line break; skipped");
    }

    private void Consume(int count, bool countLines)
    {
        if (countLines)
        {
            line += pending.AsSpan(0, count).Count((byte)'\n');
        }

        pending.AsSpan(count, pendingLength - count).CopyTo(pending);
        pendingLength -= count;
        offset += count;
    }

    private void Grow()
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(pending.Length * 2, maxRecordBytes + blockBytes));
        pending.AsSpan(0, pendingLength).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(pending);
        pending = bigger;
        Fill();
    }

    private void Fill()
    {
        while (!eof && pendingLength < pending.Length)
        {
            var n = stream.Read(pending, pendingLength, pending.Length - pendingLength);
            if (n == 0)
            {
                eof = true;
                break;
            }

            hash.AppendData(pending, pendingLength, n);
            hmac?.AppendData(pending, pendingLength, n);
            pendingLength += n;
        }
    }
}
