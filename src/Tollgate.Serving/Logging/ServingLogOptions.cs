namespace Tollgate.Serving.Logging;

/// <summary>Where and how much the server logs of what it serves.</summary>
/// <param name="Directory">Folder for <c>serving-*.jsonl</c> files; null turns the serving log off.</param>
/// <param name="SampleRate">Fraction of requests logged, 0 to 1. <value>Default 0.1.</value></param>
/// <param name="MaxFileBytes">A file is closed and a new one started past this size. <value>Default 64 MiB.</value></param>
/// <param name="MaxFiles">Oldest files beyond this count are deleted. <value>Default 20.</value></param>
public sealed record ServingLogOptions(string? Directory, double SampleRate = 0.1, long MaxFileBytes = 64L << 20, int MaxFiles = 20);
