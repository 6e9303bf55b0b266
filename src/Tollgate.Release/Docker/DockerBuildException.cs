namespace Tollgate.Release.Docker;

/// <summary>The engine refused or failed the build (a Dockerfile step failed, the base image is missing…); carries the engine's message.</summary>
public sealed class DockerBuildException : Exception
{
    public DockerBuildException(string message)
        : base(message)
    {
    }
}
