using System.Text.Json;
using Tollgate.Modeling.Scoring;

namespace Tollgate.Serving.Scoring;

/// <summary>
/// Serves a release candidate loaded by the modeling stage's <see cref="CandidateModel"/>: the server does no ML of its
/// own, so what it scores is exactly what holdout-validate judged.
/// </summary>
public sealed class CandidateScoringModel : IScoringModel, IDisposable
{
    private readonly CandidateModel candidate;

    public CandidateScoringModel(CandidateModel candidate)
    {
        this.candidate = candidate;
        var meta = candidate.Metadata;
        Info = new ServedModelInfo(
            meta.Model,
            meta.Version,
            meta.RunId,
            meta.Task,
            meta.Task == TaskNames.Binary ? meta.Threshold : null,
            meta.ThresholdSource,
            meta.TrainedAt,
            meta.DataPeriodStart,
            meta.DataPeriodEnd,
            meta.Commit ?? FindCommit(candidate.Directory));
    }

    public ServedModelInfo Info { get; }

    public FeatureSchema Schema => candidate.Features;

    public CandidateMetadata Metadata => candidate.Metadata;

    /// <summary>How rows are scored: compiled trees checked against ML.NET, or ML.NET's row mapper and why (see TrainedModel.RowScoring).</summary>
    public string RowScoring => candidate.Model.RowScoring;

    public static CandidateScoringModel Load(string candidateDir) => new(CandidateModel.Load(candidateDir));

    public void Score(IReadOnlyList<FeatureRow> rows, Span<Prediction> into) => candidate.Score(rows, into);

    public Explanation Explain(FeatureRow row) => candidate.Explain(row);

    public void Dispose() => candidate.Dispose();

    /// <summary>For candidates written before candidate.json recorded the commit: run.json beside the candidate (an image) or in the run folder above it.</summary>
    private static string? FindCommit(string candidateDir)
    {
        foreach (var path in new[] { Path.Combine(candidateDir, "run.json"), Path.Combine(candidateDir, "..", "run.json") })
        {
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
                if (doc.RootElement.TryGetProperty("gitCommit", out var commit) && commit.ValueKind == JsonValueKind.String)
                {
                    return commit.GetString();
                }
            }
            catch (JsonException)
            {
                // run.json is informational here; a torn one must not stop the server.
            }
        }

        return null;
    }
}
