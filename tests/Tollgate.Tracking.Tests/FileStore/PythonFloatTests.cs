using Shouldly;
using Tollgate.Tracking.FileStore;

namespace Tollgate.Tracking.Tests.FileStore;

public sealed class PythonFloatTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.91, "0.91")]
    [InlineData(0.0, "0.0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(123456.789, "123456.789")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Format_Value_MatchesPythonStr(double value, string expected) =>
        PythonFloat.Format(value).ShouldBe(expected);

    [Theory]
    [InlineData("nan")]
    [InlineData("1e-05")]
    [InlineData("0.95")]
    [InlineData("-inf")]
    public void Parse_FormattedValue_RoundTrips(string text) =>
        PythonFloat.Format(PythonFloat.Parse(text)).ShouldBe(text);
}
