using Tollgate.Core.Errors;

namespace Tollgate.Core.Specs;

/// <summary>Collects every configuration problem so they are reported together, then thrown once.</summary>
public sealed class SpecErrors
{
    private readonly List<string> errors = [];

    public int Count => errors.Count;

    public IReadOnlyList<string> All => errors;

    public void Add(string file, int line, string keyPath, string message) =>
        errors.Add(line > 0 ? $"{file}:{line}: '{keyPath}': {message}" : $"{file}: '{keyPath}': {message}");

    public void Add(string message) => errors.Add(message);

    /// <summary>Throws a <see cref="ConfigurationException"/> listing every problem, if there is any.</summary>
    public void ThrowIfAny()
    {
        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors.ToList());
        }
    }
}
