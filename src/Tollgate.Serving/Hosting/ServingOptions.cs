using Tollgate.Serving.Logging;

namespace Tollgate.Serving.Hosting;

/// <summary>How the server is started: from command-line options, else <c>TOLLGATE_SERVING_*</c> environment variables.</summary>
/// <param name="CandidateDir">The release-candidate folder (model.zip, candidate.json).</param>
/// <param name="ContractPath">ODCS contract; null: <c>contract.odcs.yaml</c> in the candidate, else the contract path of candidate.json found above it.</param>
/// <param name="Urls">Where Kestrel listens; loopback only. <value>Default <c>http://127.0.0.1:8080</c>.</value></param>
/// <param name="Log">The serving log.</param>
/// <param name="MaxBodyBytes">Larger bodies get 413. <value>Default 1 MiB.</value></param>
/// <param name="MaxBatchRows">Larger batches get 413. <value>Default 1000.</value></param>
/// <param name="Image">The image reference the server runs from, for <c>/v1/metadata</c> (Build-Image sets it).</param>
public sealed record ServingOptions(
    string CandidateDir,
    string? ContractPath,
    string Urls,
    ServingLogOptions Log,
    long MaxBodyBytes = 1 << 20,
    int MaxBatchRows = 1000,
    string? Image = null)
{
    public const string DefaultUrls = "http://127.0.0.1:8080";
}
