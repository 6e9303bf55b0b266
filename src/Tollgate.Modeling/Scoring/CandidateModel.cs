using Microsoft.ML;
using Microsoft.ML.Data;
using Tollgate.Core.Errors;
using Tollgate.Core.IO;
using Tollgate.Core.Specs;
using Tollgate.Modeling.Data;

namespace Tollgate.Modeling.Scoring;

/// <summary>
/// A release candidate folder (<c>model.zip</c> + <c>candidate.json</c>) loaded for scoring: the API the model server
/// and Compare-Previous use. <c>Score</c> and <see cref="Explain"/> are thread-safe and feed the fitted pipeline
/// the same input columns as training (<see cref="FeatureDataView.SchemaOf"/>): <c>Score</c> through pooled
/// single-row scorers (<see cref="TrainedModel.ScoreRows(IReadOnlyList{FeatureRow}, Span{double}, Span{double})"/>), bit for bit the scores of the table path.
/// </summary>
public sealed class CandidateModel : IDisposable
{
    public const string ModelFileName = "model.zip";
    public const string ThresholdFileName = "threshold.json";

    private readonly Lazy<ContributionExplainer> explainer;

    private CandidateModel(string directory, CandidateMetadata metadata, TrainedModel model)
    {
        Directory = directory;
        Metadata = metadata;
        Model = model;
        explainer = new Lazy<ContributionExplainer>(() => new ContributionExplainer(model), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Absolute path of the candidate folder.</summary>
    public string Directory { get; }

    public CandidateMetadata Metadata { get; }

    /// <summary>The features a row must carry.</summary>
    public FeatureSchema Features => Metadata.Features;

    public TaskKind Task => Model.Task;

    /// <summary>The decision threshold on the probability (binary models).</summary>
    public double Threshold => Metadata.Threshold;

    /// <summary>The fitted pipeline, for batch scoring of tables.</summary>
    public TrainedModel Model { get; }

    /// <summary>Loads a candidate folder. A missing or unreadable file is a <see cref="ConfigurationException"/> naming it.</summary>
    public static CandidateModel Load(string candidateDir)
    {
        var dir = Path.GetFullPath(candidateDir);
        var metaPath = Path.Combine(dir, CandidateMetadata.FileName);
        if (!File.Exists(metaPath))
        {
            throw new ConfigurationException($"{dir}: no {CandidateMetadata.FileName}; this is not a release-candidate folder (holdout-validate writes one when the model passes its gates).");
        }

        var metadata = TollgateJson.ReadFile<CandidateMetadata>(metaPath);
        var task = TaskNames.Parse(metadata.Task, metaPath);
        return new CandidateModel(dir, metadata, TrainedModel.Load(Path.Combine(dir, ModelFileName), metadata.Features, task));
    }

    /// <summary>Scores a batch. Throws <see cref="ArgumentException"/> naming the row and feature when a row is incomplete.</summary>
    public IReadOnlyList<Prediction> Score(IReadOnlyList<FeatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return [];
        }

        var predictions = new Prediction[rows.Count];
        Score(rows, predictions);
        return predictions;
    }

    /// <summary>As <see cref="Score(IReadOnlyList{FeatureRow})"/>, into the caller's span (one slot per row): what the server calls, allocating nothing.</summary>
    public void Score(IReadOnlyList<FeatureRow> rows, Span<Prediction> into)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var n = rows.Count;
        if (into.Length < n)
        {
            throw new ArgumentException($"room for {into.Length} predictions, {n} rows given.", nameof(into));
        }

        // Scores of small requests (the server's common case) on the stack.
        Span<double> scored = n <= 64 ? stackalloc double[2 * n] : new double[2 * n];
        Model.ScoreRows(rows, scored[..n], scored[n..]);
        for (var i = 0; i < n; i++)
        {
            into[i] = ToPrediction(scored[i], scored[n + i]);
        }
    }

    /// <summary>Per-feature contributions to one row's raw score, largest first, with the base value.</summary>
    public Explanation Explain(FeatureRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var table = FeatureTable.FromRows(Features, [row]);
        var (raw, score, contributions) = explainer.Value.Explain(table);
        var list = Features.All
            .Select(f => new FeatureContribution(f, table.ValueText(f, 0), contributions[f]))
            .OrderByDescending(c => Math.Abs(c.Contribution))
            .ThenBy(c => c.Feature, StringComparer.Ordinal)
            .ToList();
        return new Explanation(ToPrediction(score, raw), raw - list.Sum(c => c.Contribution), list);
    }

    public void Dispose() => Model.Dispose();

    private Prediction ToPrediction(double score, double raw) =>
        Task == TaskKind.Regression
            ? new Prediction(score, raw, null, null)
            : new Prediction(score, raw, score >= Threshold, Threshold);
}
