using System.Globalization;
using Tollgate.Core.Errors;
using Tollgate.Serving.Logging;

namespace Tollgate.Serving.Hosting;

/// <summary>
/// Reads <see cref="ServingOptions"/> from <c>--name value</c> arguments, falling back to the environment variable
/// <c>TOLLGATE_SERVING_NAME</c> (e.g. <c>--log-dir</c> ↔ <c>TOLLGATE_SERVING_LOG_DIR</c>). Every problem is reported
/// at once as a <see cref="ConfigurationException"/>.
/// </summary>
public static class ServingOptionsParser
{
    public static readonly IReadOnlyList<string> Names =
        ["candidate", "contract", "urls", "log-dir", "log-sample-rate", "log-max-file-mb", "log-max-files", "max-body-bytes", "max-batch-rows", "image"];

    public static string Usage =>
        """
        usage: Tollgate.Serving --candidate DIR [--contract FILE] [--urls http://127.0.0.1:8080]
                                [--log-dir DIR] [--log-sample-rate 0.1] [--log-max-file-mb 64] [--log-max-files 20]
                                [--max-body-bytes 1048576] [--max-batch-rows 1000] [--image REF]
        Each option may also come from TOLLGATE_SERVING_<NAME> (e.g. TOLLGATE_SERVING_CANDIDATE).
        """;

    public static ServingOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var errors = new List<string>();
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = (eq > 0 ? arg[..eq] : arg).TrimStart('-');
            if (!arg.StartsWith("--", StringComparison.Ordinal) || !Names.Contains(name))
            {
                errors.Add($"unknown argument '{arg}'; options: {string.Join(", ", Names.Select(n => "--" + n))}.");
                if (arg.StartsWith("--", StringComparison.Ordinal) && eq < 0 && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    i++; // the unknown option's value
                }

                continue;
            }

            if (eq > 0)
            {
                given[name] = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                given[name] = args[++i];
            }
            else
            {
                errors.Add($"--{name} needs a value.");
            }
        }

        string? Get(string name) =>
            given.TryGetValue(name, out var v) ? v : environment("TOLLGATE_SERVING_" + name.Replace('-', '_').ToUpperInvariant()) is { Length: > 0 } e ? e : null;

        double Number(string name, double fallback, double min, double max)
        {
            var text = Get(name);
            if (text is null)
            {
                return fallback;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                errors.Add($"--{name} '{text}': expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
                return fallback;
            }

            return value;
        }

        var candidate = Get("candidate");
        if (candidate is null)
        {
            errors.Add("--candidate is required: the release-candidate folder (artifacts/runs/<run>/candidate) holding model.zip and candidate.json.");
        }
        else if (!Directory.Exists(candidate))
        {
            errors.Add($"--candidate '{candidate}': folder not found.");
        }

        var urls = Get("urls") ?? ServingOptions.DefaultUrls;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http")
            {
                errors.Add($"--urls '{url}': expected http://127.0.0.1:PORT.");
            }
            else if (!uri.IsLoopback)
            {
                errors.Add($"--urls '{url}': the server binds loopback only (127.0.0.1, [::1] or localhost); put a proxy in front to expose it.");
            }
        }

        var log = new ServingLogOptions(
            Get("log-dir") is { } dir ? Path.GetFullPath(dir) : null,
            Number("log-sample-rate", 0.1, 0, 1),
            (long)Number("log-max-file-mb", 64, 1, 65536) << 20,
            (int)Number("log-max-files", 20, 1, 100_000));
        var maxBody = (long)Number("max-body-bytes", 1 << 20, 1024, 1L << 31);
        var maxRows = (int)Number("max-batch-rows", 1000, 1, 1_000_000);
        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        return new ServingOptions(Path.GetFullPath(candidate!), Get("contract") is { } c ? Path.GetFullPath(c) : null, urls, log, maxBody, maxRows, Get("image"));
    }
}
