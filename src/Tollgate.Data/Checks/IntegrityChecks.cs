using Tollgate.Core.Stages;
using Tollgate.Data.Contracts;
using Tollgate.Data.Scanning;

namespace Tollgate.Data.Checks;

/// <summary>
/// The dump is the one the upstream sent: its <c>.sha256</c> sidecar matches (checked whenever present; a missing sidecar
/// fails when the contract's <c>sha256</c> rule says <c>required: true</c>), and with an <c>hmac</c> rule its
/// <c>.sig</c> sidecar (hex HMAC-SHA256 of the bytes, key from an environment variable) matches — fail closed.
/// </summary>
public static class IntegrityChecks
{
    public static void Evaluate(CheckList checks, string path, ScanResult scan)
    {
        var file = checks.File;
        var shaRule = checks.Contract.Settings(CustomCheck.Sha256, null);
        var required = shaRule?.Settings?["required"]?.GetValue<bool>() ?? false;
        var sidecar = path + ".sha256";
        var severity = shaRule?.Severity ?? Severity.Error;
        if (File.Exists(sidecar))
        {
            var declared = File.ReadAllText(sidecar).Trim().Split([' ', '\t'], 2)[0].ToLowerInvariant();
            if (declared == scan.Sha256)
            {
                checks.Pass(CheckIds.Sha256, severity, $"{file}: SHA-256 matches its sidecar.", observed: scan.Sha256, expected: declared);
            }
            else
            {
                checks.Fail(CheckIds.Sha256, severity,
                    $"{file}: SHA-256 {scan.Sha256[..12]}… does not match the sidecar {Path.GetFileName(sidecar)} ({(declared.Length >= 12 ? declared[..12] : declared)}…): the file changed or was truncated in transit. Ask the upstream to re-deliver.",
                    observed: scan.Sha256, expected: declared);
            }
        }
        else if (required)
        {
            checks.Fail(CheckIds.Sha256, severity,
                $"{file}: no {Path.GetFileName(sidecar)} sidecar, and the contract requires one (rule '{shaRule!.Id}'). Deliver the digest with the dump.",
                observed: "no sidecar", expected: "sidecar present and matching");
        }
        else
        {
            checks.Skip(CheckIds.Sha256, severity, $"{file}: no SHA-256 sidecar (not required by the contract).");
        }

        var hmacRule = checks.Contract.Settings(CustomCheck.Hmac, null);
        if (hmacRule is null)
        {
            return;
        }

        var sig = path + ".sig";
        var sigRequired = hmacRule.Settings?["required"]?.GetValue<bool>() ?? true;
        if (!File.Exists(sig))
        {
            if (sigRequired)
            {
                checks.Fail(CheckIds.Hmac, hmacRule.Severity,
                    $"{file}: no {Path.GetFileName(sig)} signature, and rule '{hmacRule.Id}' requires one. Deliver the HMAC-SHA256 signature with the dump.",
                    observed: "no signature", expected: "valid HMAC-SHA256");
            }
            else
            {
                checks.Skip(CheckIds.Hmac, hmacRule.Severity, $"{file}: no signature (optional).");
            }

            return;
        }

        var declaredSig = File.ReadAllText(sig).Trim().Split([' ', '\t'], 2)[0].ToLowerInvariant();
        if (scan.Hmac is not null && declaredSig == scan.Hmac)
        {
            checks.Pass(CheckIds.Hmac, hmacRule.Severity, $"{file}: HMAC-SHA256 signature valid.", observed: "valid", expected: "valid HMAC-SHA256");
        }
        else
        {
            checks.Fail(CheckIds.Hmac, hmacRule.Severity,
                $"{file}: HMAC-SHA256 signature in {Path.GetFileName(sig)} does not match the bytes: the dump was altered or signed with another key. Do not use it; ask the upstream to re-sign.",
                observed: "mismatch", expected: "valid HMAC-SHA256");
        }
    }

    /// <summary>The HMAC key from the environment variable the contract names, or null when no hmac rule is declared.</summary>
    public static byte[]? KeyFor(DataContract contract)
    {
        var rule = contract.Settings(CustomCheck.Hmac, null);
        if (rule is null)
        {
            return null;
        }

        var env = rule.Text("keyEnv") ?? "TOLLGATE_DUMP_HMAC_KEY";
        var key = Environment.GetEnvironmentVariable(env);
        if (string.IsNullOrEmpty(key))
        {
            throw new Core.Errors.ConfigurationException(
                $"{contract.Path}:{rule.Line}: rule '{rule.Id}' checks HMAC signatures with the key in ${env}, which is not set. Export it (CI: a masked variable) or remove the rule.");
        }

        return System.Text.Encoding.UTF8.GetBytes(key);
    }
}
