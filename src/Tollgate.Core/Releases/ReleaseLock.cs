using System.Text;
using Tollgate.Core.Errors;

namespace Tollgate.Core.Releases;

/// <summary>
/// The per-model release lock (<c>&lt;store&gt;/&lt;model&gt;/release.lock</c>): promote, rollback and prune hold it so two
/// pipelines never switch the same model at once. It is an OS file lock (flock on Linux), so it dies with its
/// process: a pipeline killed with SIGKILL never leaves a stale lock behind.
/// </summary>
public sealed class ReleaseLock : IDisposable
{
    public const string FileName = "release.lock";
    public const string OwnerFileName = "release.lock.owner";

    private readonly FileStream stream;
    private readonly string ownerPath;

    private ReleaseLock(FileStream stream, string ownerPath)
    {
        this.stream = stream;
        this.ownerPath = ownerPath;
    }

    /// <summary>
    /// Takes the lock or fails at once with an <see cref="InfrastructureException"/> (exit 4) naming the holder.
    /// </summary>
    /// <param name="modelRoot">The model's folder in the release store.</param>
    /// <param name="operation">What the caller is about to do, recorded for the message another pipeline sees.</param>
    public static ReleaseLock Acquire(string modelRoot, string operation)
    {
        Directory.CreateDirectory(modelRoot);
        var path = Path.Combine(modelRoot, FileName);
        var owner = Path.Combine(modelRoot, OwnerFileName);
        FileStream stream;
        try
        {
            // FileShare.None is an exclusive flock(2) on Unix: held per open file, released when the process dies.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            var holder = File.Exists(owner) ? File.ReadAllText(owner).Trim() : "unknown holder";
            throw new InfrastructureException(
                $"{path}: another release of '{Path.GetFileName(modelRoot)}' is in progress ({holder}). " +
                "Wait for it to finish and run again; the lock is released automatically when that process ends.",
                ex);
        }

        var text = $"{operation} by pid {Environment.ProcessId} on {Environment.MachineName} since {DateTimeOffset.UtcNow:O}";
        File.WriteAllText(owner, text, Encoding.UTF8);
        return new ReleaseLock(stream, owner);
    }

    public void Dispose()
    {
        try
        {
            File.Delete(ownerPath);
        }
        catch (IOException)
        {
            // The owner note is informational only; the lock itself is the open file.
        }

        stream.Dispose();
    }
}
