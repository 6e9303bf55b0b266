namespace Tollgate.Release.Pruning;

/// <summary>An image reference split as the registry API needs it: <c>127.0.0.1:5000/bank-marketing:V</c>.</summary>
public sealed record ImageReference(string Registry, string Repository, string? Tag)
{
    /// <summary>Parses <c>registry/repository[:tag][@digest]</c>; null when there is no registry host part.</summary>
    public static ImageReference? TryParse(string? reference)
    {
        if (reference is null)
        {
            return null;
        }

        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var withoutDigest = at >= 0 ? reference[..at] : reference;
        var slash = withoutDigest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return null;
        }

        var registry = withoutDigest[..slash];
        if (!registry.Contains(':', StringComparison.Ordinal) && !registry.Contains('.', StringComparison.Ordinal) && registry != "localhost")
        {
            return null;
        }

        var rest = withoutDigest[(slash + 1)..];
        var colon = rest.LastIndexOf(':');
        return colon > 0 ? new ImageReference(registry, rest[..colon], rest[(colon + 1)..]) : new ImageReference(registry, rest, null);
    }
}
