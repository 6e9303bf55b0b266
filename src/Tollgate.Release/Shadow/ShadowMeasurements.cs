namespace Tollgate.Release.Shadow;

/// <summary>What Shadow-Deploy measured, for both models.</summary>
public sealed record ShadowMeasurements(
    int Requests,
    LatencySummary Candidate,
    LatencySummary? Production,
    double CandidateErrorRate,
    double? ProductionErrorRate,
    int Compared,
    double? Agreement,
    double? MeanAbsScoreDifference,
    double? CandidateAccuracy,
    double? ProductionAccuracy,
    int Labelled)
{
    public static ShadowMeasurements Of(IReadOnlyList<Exchange> exchanges)
    {
        var withProduction = exchanges.Where(e => e.Production is not null).ToList();
        var both = withProduction.Where(e => e.Production!.Label is not null && e.Candidate.Label is not null).ToList();
        var scored = withProduction.Where(e => e.Production!.Score is not null && e.Candidate.Score is not null).ToList();
        var labelled = exchanges.Where(e => e.Truth is not null).ToList();
        double? Accuracy(Func<Exchange, bool?> label)
        {
            var known = labelled.Where(e => label(e) is not null).ToList();
            return known.Count == 0 ? null : Math.Round(known.Count(e => label(e) == e.Truth) / (double)known.Count, 4);
        }

        return new ShadowMeasurements(
            exchanges.Count,
            LatencySummary.Of(exchanges.Where(e => !e.Candidate.IsError).Select(e => e.Candidate.Ms!.Value)),
            withProduction.Count == 0 ? null : LatencySummary.Of(withProduction.Where(e => !e.Production!.IsError).Select(e => e.Production!.Ms!.Value)),
            exchanges.Count == 0 ? 1 : Math.Round(exchanges.Count(e => e.Candidate.IsError) / (double)exchanges.Count, 4),
            withProduction.Count == 0 ? null : Math.Round(withProduction.Count(e => e.Production!.IsError) / (double)withProduction.Count, 4),
            both.Count,
            both.Count == 0 ? null : Math.Round(both.Count(e => !e.Disagrees) / (double)both.Count, 4),
            scored.Count == 0 ? null : Math.Round(scored.Average(e => Math.Abs(e.Production!.Score!.Value - e.Candidate.Score!.Value)), 5),
            Accuracy(e => e.Candidate.Label),
            withProduction.Count == 0 ? null : Accuracy(e => e.Production?.Label),
            labelled.Count);
    }
}
