using Tollgate.Core.Stages;
using Tollgate.Modeling.Stages;

namespace Tollgate.Modeling.Tests.Fixtures;

/// <summary>
/// One bank-marketing run taken through Train and Holdout-Validate (fast spec), shared by the tests of a class that only
/// read its outputs: the candidate folder, the holdout scores.
/// </summary>
public sealed class CandidateFixture : IDisposable
{
    public CandidateFixture()
    {
        Run = ModelingRun.Create(editSpec: FastSpec.Apply);
        var train = TrainStage.Run(Run.Context);
        Run.Run.WriteReport(train);
        HoldoutReport = HoldoutValidateStage.Run(Run.Context);
        Run.Run.WriteReport(HoldoutReport);
        if (HoldoutReport.Outcome != StageOutcome.Passed)
        {
            throw new InvalidOperationException("fixture run was rejected: " + HoldoutReport.Summary);
        }
    }

    public ModelingRun Run { get; }

    public StageReport HoldoutReport { get; }

    public void Dispose() => Run.Dispose();
}
