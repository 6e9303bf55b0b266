namespace Tollgate.Data.Scanning;

/// <summary>A run of whole records handed to a parser: a pooled buffer, its used length, and where it starts.</summary>
/// <param name="Buffer">Rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>; the consumer returns it.</param>
/// <param name="Length">Bytes used.</param>
/// <param name="FirstLine">1-based line number of the first byte.</param>
/// <param name="Offset">Byte offset in the file of the first byte.</param>
internal readonly record struct Block(byte[] Buffer, int Length, long FirstLine, long Offset);
