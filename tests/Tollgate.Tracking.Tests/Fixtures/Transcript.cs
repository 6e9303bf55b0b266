using System.Text.Json.Nodes;
using Tollgate.Testing;

namespace Tollgate.Tracking.Tests.Fixtures;

/// <summary>One exchange of the captured MLflow 3.6 transcripts (../shared/mlflow/api*.txt).</summary>
public sealed record Exchange(string File, string Title, string Method, string Path, string? RequestBody, string ResponseBody, int Status)
{
    public JsonObject Request => (JsonObject)JsonNode.Parse(RequestBody!)!;
}

/// <summary>Parses the transcripts: <c>### METHOD PATH</c>, optional <c>REQ: {json}</c>, the response body, <c>HTTP nnn</c>.</summary>
public static class Transcript
{
    private static readonly Lazy<IReadOnlyList<Exchange>> All = new(Load);

    public static IReadOnlyList<Exchange> Exchanges => All.Value;

    /// <summary>The <paramref name="occurrence"/>-th exchange (0-based) whose title starts with <paramref name="titlePrefix"/>.</summary>
    public static Exchange Find(string titlePrefix, int occurrence = 0) =>
        Exchanges.Where(e => e.Title.StartsWith(titlePrefix, StringComparison.Ordinal)).ElementAt(occurrence);

    private static List<Exchange> Load()
    {
        var result = new List<Exchange>();
        foreach (var file in Enumerable.Range(1, 5).Select(i => TestRepo.Shared("mlflow", $"api{i}.txt")))
        {
            var lines = System.IO.File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].StartsWith("### ", StringComparison.Ordinal))
                {
                    continue;
                }

                var title = lines[i][4..];
                var parts = title.Split(' ', 3);
                string? req = null;
                var j = i + 1;
                if (j < lines.Length && lines[j].StartsWith("REQ: ", StringComparison.Ordinal))
                {
                    req = lines[j][5..];
                    j++;
                }

                var body = new List<string>();
                while (!lines[j].StartsWith("HTTP ", StringComparison.Ordinal))
                {
                    body.Add(lines[j]);
                    j++;
                }

                var status = int.Parse(lines[j][5..], System.Globalization.CultureInfo.InvariantCulture);
                result.Add(new Exchange(System.IO.Path.GetFileName(file), title, parts[0], parts.Length > 1 ? parts[1] : string.Empty, req, string.Join("\n", body), status));
                i = j;
            }
        }

        return result;
    }
}
