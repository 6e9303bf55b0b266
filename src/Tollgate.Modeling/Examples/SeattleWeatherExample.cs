using System.Globalization;
using System.Text;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;

namespace Tollgate.Modeling.Examples;

/// <summary>
/// The regression example's data preparation: turns the daily Seattle weather (NOAA via vega-datasets 3.2.1,
/// <c>data/seattle-weather/seattle-weather.csv</c>) into one dump per month, as an upstream would deliver it, where each
/// row asks "what will today's maximum temperature be?" given only yesterday's observations (<c>*_prev</c>) and the day
/// of the year. The same source always gives byte-identical dumps.
/// </summary>
public static class SeattleWeatherExample
{
    public const string Header = "date,day_of_year,temp_max_prev,temp_min_prev,precipitation_prev,wind_prev,weather_prev,temp_max";

    /// <summary>Writes <c>yyyy-MM.csv</c> dumps plus <c>.sha256</c> sidecars to <paramref name="outputDir"/>; returns the dump count.</summary>
    public static int Prepare(string sourceCsv, string outputDir)
    {
        if (!File.Exists(sourceCsv))
        {
            throw new ConfigurationException($"{sourceCsv}: source file not found (see data/seattle-weather/README.md).");
        }

        var lines = File.ReadAllLines(sourceCsv);
        if (lines.Length < 3 || lines[0] != "date,precipitation,temp_max,temp_min,wind,weather")
        {
            throw new ConfigurationException($"{sourceCsv}: expected the header 'date,precipitation,temp_max,temp_min,wind,weather' of vega-datasets' seattle-weather.csv.");
        }

        Directory.CreateDirectory(outputDir);
        foreach (var old in Directory.GetFiles(outputDir, "*.csv*"))
        {
            File.Delete(old);
        }

        var months = new SortedDictionary<string, StringBuilder>(StringComparer.Ordinal);
        for (var i = 2; i < lines.Length; i++)
        {
            var prev = lines[i - 1].Split(',');
            var today = lines[i].Split(',');
            var date = DateTime.ParseExact(today[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var month = today[0][..7];
            if (!months.TryGetValue(month, out var sb))
            {
                sb = new StringBuilder(Header).Append('\n');
                months[month] = sb;
            }

            // date, day of year, yesterday's temp_max, temp_min, precipitation, wind, weather; today's temp_max (label).
            sb.Append(today[0]).Append(',')
                .Append(date.DayOfYear.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(prev[2]).Append(',').Append(prev[3]).Append(',').Append(prev[1]).Append(',').Append(prev[4]).Append(',').Append(prev[5]).Append(',')
                .Append(today[2]).Append('\n');
        }

        foreach (var (month, sb) in months)
        {
            var path = Path.Combine(outputDir, month + ".csv");
            File.WriteAllText(path, sb.ToString());
            File.WriteAllText(path + ".sha256", $"{Sha256.OfFile(path)}  {month}.csv\n");
        }

        return months.Count;
    }
}
