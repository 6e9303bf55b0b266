namespace Tollgate.Tracking.Comparison;

/// <summary>The reviewers' comparison of a candidate run with the champion's run.</summary>
/// <param name="Compared">False when there was nothing to compare with; <paramref name="Reason"/> says why.</param>
/// <param name="Reason">One sentence for the report.</param>
/// <param name="ChampionRunId">MLflow run id of the champion.</param>
/// <param name="ChampionVersion">Registered-model version holding the <c>champion</c> alias.</param>
/// <param name="MarkdownPath">Local comparison.md.</param>
/// <param name="HtmlPath">Local comparison.html.</param>
/// <param name="ArtifactLink">Where the HTML comparison is in MLflow.</param>
public sealed record ComparisonResult(
    bool Compared,
    string Reason,
    string? ChampionRunId = null,
    string? ChampionVersion = null,
    string? MarkdownPath = null,
    string? HtmlPath = null,
    string? ArtifactLink = null);
