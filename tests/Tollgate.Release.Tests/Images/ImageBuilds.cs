using Tollgate.Core.Runs;
using Tollgate.Core.Stages;
using Tollgate.Release.Images;

namespace Tollgate.Release.Tests.Images;

/// <summary>The two builds of <see cref="ImageBuildFixture"/>: a candidate and its retrain.</summary>
public sealed record ImageBuilds(RunDirectory FirstRun, StageReport FirstReport, BuildImageResult First, BuildImageResult Retrained);
