using System.Globalization;

namespace Tollgate.Tracking.FileStore;

/// <summary>
/// Formats doubles the way Python's <c>str(float)</c> does, because MLflow's file store writes metric values with it and
/// its reader parses them back: <c>1.0</c>, <c>0.91</c>, <c>1e-05</c>, <c>1e+16</c>, <c>nan</c>, <c>inf</c>, <c>-inf</c>.
/// </summary>
public static class PythonFloat
{
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        // Shortest round-trip digits, then Python's repr rule: scientific when the exponent is < -4 or >= 16.
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var (digits, exponent, negative) = Decompose(r);
        if (digits == "0")
        {
            return negative ? "-0.0" : "0.0";
        }

        var sign = negative ? "-" : string.Empty;
        if (exponent < -4 || exponent >= 16)
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return $"{sign}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }

        if (exponent < 0)
        {
            return sign + "0." + new string('0', -exponent - 1) + digits;
        }

        if (digits.Length <= exponent + 1)
        {
            return sign + digits + new string('0', exponent + 1 - digits.Length) + ".0";
        }

        return sign + digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
    }

    public static double Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "nan" => double.NaN,
        "inf" or "infinity" => double.PositiveInfinity,
        "-inf" or "-infinity" => double.NegativeInfinity,
        var t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>Significant digits (no leading/trailing zeros) and the decimal exponent of the first digit.</summary>
    private static (string Digits, int Exponent, bool Negative) Decompose(string roundTrip)
    {
        var negative = roundTrip.StartsWith('-');
        var s = negative ? roundTrip[1..] : roundTrip;
        var exp = 0;
        var ePos = s.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exp = int.Parse(s[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..ePos];
        }

        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? s[..dot] : s;
        var frac = dot >= 0 ? s[(dot + 1)..] : string.Empty;
        var all = intPart + frac;
        var pointPos = intPart.Length + exp; // digits before the decimal point
        var firstNonZero = 0;
        while (firstNonZero < all.Length && all[firstNonZero] == '0')
        {
            firstNonZero++;
        }

        if (firstNonZero == all.Length)
        {
            return ("0", 0, negative);
        }

        var digits = all[firstNonZero..].TrimEnd('0');
        return (digits, pointPos - firstNonZero - 1, negative);
    }
}
