using System.Text.Json.Nodes;

namespace Tollgate.Release.Tests.Deployment;

/// <summary>One image of <see cref="VersionedImages"/>: its tag reference, digest, pullable reference and the candidate.json it carries.</summary>
public sealed record VersionedImage(string Version, string Reference, string Digest, string ReferenceByDigest, JsonObject Candidate);
