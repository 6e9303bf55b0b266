using Tollgate.Core.Releases;
using Tollgate.Core.Specs;
using Tollgate.Core.Stages;
using Tollgate.Release.Configuration;
using Tollgate.Release.Deployment;
using Tollgate.Release.FrontDoor;
using Tollgate.Release.Switching;
using Tollgate.Tracking;
using Tollgate.Tracking.Configuration;

namespace Tollgate.Release.Hosting;

/// <summary>
/// What every release stage works with, built once from model.yaml (all configuration errors reported together):
/// the release store, the deployment backend, the front door and the switcher.
/// </summary>
public sealed class ReleaseEnvironment : IDisposable
{
    private IDisposable? tracking;

    private ReleaseEnvironment(string repoRoot, ModelSpec spec, ReleaseStore store, DeployOptions deploy, ReleaseOptions release, IDeploymentBackend backend, FrontDoorGateway frontDoor, ReleaseSwitcher switcher, IReleaseAliases aliases)
    {
        RepoRoot = repoRoot;
        Spec = spec;
        Store = store;
        Deploy = deploy;
        Release = release;
        Backend = backend;
        FrontDoor = frontDoor;
        Switcher = switcher;
        Aliases = aliases;
    }

    public string RepoRoot { get; }

    public ModelSpec Spec { get; }

    public ReleaseStore Store { get; }

    public DeployOptions Deploy { get; }

    public ReleaseOptions Release { get; }

    public IDeploymentBackend Backend { get; }

    public FrontDoorGateway FrontDoor { get; }

    public ReleaseSwitcher Switcher { get; }

    public IReleaseAliases Aliases { get; }

    public string ModelRoot => Store.ModelRoot(Spec.Name);

    public string ServingLogRoot => Path.Combine(ModelRoot, "serving-log");

    /// <param name="repoRoot">Repository root.</param>
    /// <param name="spec">The model spec.</param>
    /// <param name="errors">Collects configuration problems; the caller may add its own section's before throwing.</param>
    /// <param name="log">Stage log.</param>
    /// <param name="time">Clock.</param>
    /// <param name="aliases">Model-registry aliases; null: MLflow as the tracking section of model.yaml configures it.</param>
    /// <param name="backend">A backend to use instead of the configured one (tests, benchmarks).</param>
    public static ReleaseEnvironment Create(string repoRoot, ModelSpec spec, SpecErrors errors, IStageLog log, TimeProvider time, IReleaseAliases? aliases = null, IDeploymentBackend? backend = null)
    {
        var deploy = DeployOptions.Read(spec, errors);
        var release = ReleaseOptions.Read(spec, errors);
        var store = ReleaseStore.ForRepository(repoRoot);
        backend ??= BackendSelector.Select(deploy, store, log, time, spec);
        var frontDoor = new FrontDoorGateway(store.ModelRoot(spec.Name), deploy.FrontDoorPort);
        TrackingBackend? tracking = null;
        if (aliases is null)
        {
            var trackingOptions = TrackingOptionsReader.Read(repoRoot, spec);
            tracking = TrackingBackend.Create(trackingOptions, log, time);
            aliases = new MlflowReleaseAliases(tracking.Registry, trackingOptions.RegisteredModelName);
        }

        var switcher = new ReleaseSwitcher(store, spec.Name, backend, frontDoor, deploy, release, aliases, log, time);
        return new ReleaseEnvironment(repoRoot, spec, store, deploy, release, backend, frontDoor, switcher, aliases) { tracking = tracking };
    }

    public void Dispose()
    {
        FrontDoor.Dispose();
        tracking?.Dispose();
    }
}
