using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Errors;

namespace Tollgate.Release.Promotion;

/// <summary>What the release stages need from <c>candidate/candidate.json</c> (written by the modeling stages).</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Release version.</param>
/// <param name="RunId">Run that produced it.</param>
/// <param name="Threshold">Decision threshold; it travels with the model folder, so a rollback brings the old one back.</param>
/// <param name="Dir">The candidate folder.</param>
public sealed record CandidateInfo(string Model, string Version, string RunId, double? Threshold, string Dir)
{
    public const string FileName = "candidate.json";

    public static CandidateInfo Read(string candidateDir)
    {
        var path = Path.Combine(candidateDir, FileName);
        if (!File.Exists(path) || !File.Exists(Path.Combine(candidateDir, "model.zip")))
        {
            throw new ConfigurationException(
                $"{candidateDir}: no release candidate here (model.zip and candidate.json). Run the chain up to learn-thresholds first; a candidate is written only when the holdout gates pass.");
        }

        try
        {
            var o = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not an object");
            string Required(string key) => (string?)o[key] ?? throw new ConfigurationException($"{path}: '{key}' is missing; re-run the stage that writes the candidate.");
            return new CandidateInfo(Required("model"), Required("version"), Required("runId"), o["threshold"]?.GetValue<double>(), Path.GetFullPath(candidateDir));
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"{path}: not valid JSON ({ex.Message}); re-run the stage that writes the candidate.");
        }
    }
}
