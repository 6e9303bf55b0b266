namespace Tollgate.Core.Reports;

/// <summary>A named series of points for <see cref="SvgChart"/>.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">X values (for bar charts: ignored, use <see cref="SvgChart.Bars"/>).</param>
/// <param name="Y">Y values, same length as <paramref name="X"/>.</param>
/// <param name="Color">CSS colour; null picks from the palette.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, string? Color = null);
