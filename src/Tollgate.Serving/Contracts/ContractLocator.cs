namespace Tollgate.Serving.Contracts;

/// <summary>
/// Finds the data contract of a candidate when none is given: <c>contract.odcs.yaml</c> inside the candidate (as
/// Build-Image packages it), else candidate.json's repository-relative contract path under a parent folder.
/// </summary>
public static class ContractLocator
{
    public const string PackagedFileName = "contract.odcs.yaml";

    public static string Find(string candidateDir, string contractPath)
    {
        var packaged = Path.Combine(candidateDir, PackagedFileName);
        if (File.Exists(packaged))
        {
            return packaged;
        }

        for (var dir = new DirectoryInfo(candidateDir); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, contractPath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        // ServingContract.Load reports the missing file with what to do.
        return packaged;
    }
}
