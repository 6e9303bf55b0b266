using Tollgate.Core.IO;

namespace Tollgate.Tracking.Queue;

/// <summary>
/// The local queue of runs that could not reach the tracking server: one JSON file per Tollgate run, written atomically
/// and replaced (not duplicated) when the same run is queued again. <c>tollgate mlflow sync</c> removes a file only
/// after its upload finished; the upload itself is idempotent, so a crash between the two cannot log a run twice.
/// </summary>
public sealed class PendingUploadQueue
{
    public PendingUploadQueue(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    public string PathOf(string tollgateRunId) => Path.Combine(Directory, tollgateRunId + ".json");

    public string Enqueue(PendingUpload upload)
    {
        var path = PathOf(upload.Payload.TollgateRunId);
        TollgateJson.WriteFile(path, upload);
        return path;
    }

    /// <summary>Queued uploads, oldest first.</summary>
    public IReadOnlyList<(string Path, PendingUpload Upload)> List() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.json")
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Select(f => (Path: f, Upload: TollgateJson.ReadFile<PendingUpload>(f)))
                .OrderBy(p => p.Upload.QueuedAt)
                .ToList()
            : [];

    /// <summary>Removes the run's entry; no entry (or no queue folder yet) is fine.</summary>
    public void Remove(string tollgateRunId)
    {
        var path = PathOf(tollgateRunId);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
