using System.Globalization;
using System.Runtime.CompilerServices;

namespace Tollgate.Data.Scanning;

/// <summary>
/// Integer parsing for the scan's hot loop: the common shape (an optional sign and up to 18 digits) is read inline;
/// anything else goes to <see cref="long.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider?, out long)"/>
/// with the same styles, so the accepted set is exactly the framework's. Compiled optimised at once (where not inlined):
/// a cold process scans a whole dump before tiered compilation would promote it.
/// </summary>
internal static class FastNumber
{
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseInt64(ReadOnlySpan<char> s, out long value) =>
        TrySimple(s, out value) || long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static bool TrySimple(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.IsEmpty || s.Length > 18)
        {
            return false;
        }

        long v = 0;
        foreach (var c in s)
        {
            var d = (uint)(c - '0');
            if (d > 9)
            {
                return false;
            }

            v = (v * 10) + d;
        }

        value = negative ? -v : v;
        return true;
    }
}
