using System.Text;

namespace Tollgate.Data.Tests.Support;

/// <summary>Corrupts a copy of a real bank dump field by field (';'-separated, quoted strings, header first).</summary>
public static class DumpEditor
{
    public static readonly string[] Columns =
        ["id", "age", "job", "marital", "education", "default", "balance", "housing", "loan", "contact", "day", "month", "duration", "campaign", "pdays", "previous", "poutcome", "y", "contact_date"];

    public static int Col(string name) => Array.IndexOf(Columns, name);

    /// <summary>Applies <paramref name="edit"/> to every data row (fields as written, quotes included).</summary>
    public static void EditRows(string path, Action<int, string[]> edit, bool reseal = true)
    {
        var lines = File.ReadAllText(path).TrimEnd('\n').Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(';');
            edit(i, fields);
            lines[i] = string.Join(';', fields);
        }

        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        if (reseal)
        {
            ExampleRepo.Reseal(path);
        }
    }

    /// <summary>Rewrites the whole text.</summary>
    public static void EditText(string path, Func<string, string> edit, bool reseal = true)
    {
        File.WriteAllText(path, edit(File.ReadAllText(path)));
        if (reseal)
        {
            ExampleRepo.Reseal(path);
        }
    }

    public static void EditBytes(string path, Func<byte[], byte[]> edit, bool reseal = true)
    {
        File.WriteAllBytes(path, edit(File.ReadAllBytes(path)));
        if (reseal)
        {
            ExampleRepo.Reseal(path);
        }
    }

    public static string Unquote(string field) => field.Trim('"');

    public static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
