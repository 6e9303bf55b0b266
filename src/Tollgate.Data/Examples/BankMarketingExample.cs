using System.Globalization;
using System.Text;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;

namespace Tollgate.Data.Examples;

/// <summary>
/// Turns the UCI Bank Marketing file (Moro et al. 2014, CC BY 4.0) into what a real upstream delivers: one dump per day
/// in an incoming folder, each with a SHA-256 sidecar. The source has only <c>day</c> and <c>month</c>; rows are in date
/// order from May 2008, so the year goes up by one whenever the month number drops. Two columns are added: <c>id</c>
/// (the 1-based row number in the source, a stable key) and <c>contact_date</c> (ISO yyyy-MM-dd).
/// </summary>
public static class BankMarketingExample
{
    public const int FirstYear = 2008;

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Splits <paramref name="sourceCsv"/> into <paramref name="outputDir"/>/yyyy-MM-dd.csv; returns the number of dumps.</summary>
    public static int Prepare(string sourceCsv, string outputDir)
    {
        if (!File.Exists(sourceCsv))
        {
            throw new ConfigurationException($"{sourceCsv}: source file not found. The bank data ships in data/bank-marketing/bank-full.csv.");
        }

        var lines = File.ReadAllLines(sourceCsv, Encoding.UTF8);
        if (lines.Length < 2)
        {
            throw new ConfigurationException($"{sourceCsv}: no data rows.");
        }

        var header = lines[0].Split(';');
        var monthIndex = Array.IndexOf(header, "\"month\"");
        var dayIndex = Array.IndexOf(header, "\"day\"");
        if (monthIndex < 0 || dayIndex < 0)
        {
            throw new ConfigurationException($"{sourceCsv}:1: expected columns \"day\" and \"month\" in the header.");
        }

        var byDay = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var year = FirstYear;
        var previousMonth = 0;
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var fields = lines[i].Split(';');
            var month = Array.IndexOf(Months, fields[monthIndex].Trim('"')) + 1;
            if (month == 0 || !int.TryParse(fields[dayIndex], CultureInfo.InvariantCulture, out var day))
            {
                throw new ConfigurationException($"{sourceCsv}:{i + 1}: cannot read day/month from '{lines[i]}'.");
            }

            if (month < previousMonth)
            {
                year++;
            }

            previousMonth = month;
            var date = new DateOnly(year, month, day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (!byDay.TryGetValue(date, out var rows))
            {
                byDay[date] = rows = [];
            }

            rows.Add($"{i};{lines[i]};\"{date}\"");
        }

        Directory.CreateDirectory(outputDir);
        foreach (var stale in Directory.EnumerateFiles(outputDir, "*.csv*"))
        {
            File.Delete(stale);
        }

        var outHeader = $"\"id\";{lines[0]};\"contact_date\"";
        foreach (var (date, rows) in byDay)
        {
            var path = Path.Combine(outputDir, date + ".csv");
            var content = outHeader + "\n" + string.Join("\n", rows) + "\n";
            File.WriteAllText(path, content, new UTF8Encoding(false));
            File.WriteAllText(path + ".sha256", $"{Sha256.OfFile(path)}  {date}.csv\n");
        }

        return byDay.Count;
    }
}
