namespace Tollgate.Release.FakeServer;

/// <summary>Knobs read from <c>&lt;candidate&gt;/fake.json</c> to make a version misbehave on purpose.</summary>
/// <param name="ReadyDelayMs">Time before /health/ready answers 200 (int.MaxValue: never).</param>
/// <param name="PredictDelayMs">Added to every prediction (a slow candidate).</param>
/// <param name="FailEvery">Every n-th prediction answers 500 (0: never).</param>
/// <param name="ScoreShift">Added to the score (a disagreeing candidate).</param>
/// <param name="ExitAtStart">Exit with code 1 at once (a crashing candidate).</param>
public sealed record FakeBehaviour(int ReadyDelayMs = 0, int PredictDelayMs = 0, int FailEvery = 0, double ScoreShift = 0, bool ExitAtStart = false);
