namespace Tollgate.Tracking.Entities;

/// <summary>MLflow's run status, with the integer codes its file store writes into <c>meta.yaml</c>.</summary>
public enum MlflowRunStatus
{
    Running = 1,
    Scheduled = 2,
    Finished = 3,
    Failed = 4,
    Killed = 5,
}
