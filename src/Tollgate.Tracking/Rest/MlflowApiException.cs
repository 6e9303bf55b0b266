using System.Net;
using Tollgate.Core.Errors;

namespace Tollgate.Tracking.Rest;

/// <summary>
/// The tracking server answered with an error MLflow defines (<c>{"error_code": …, "message": …}</c>), or with something
/// that is not MLflow at all. 401/403 are configuration problems (exit 2: fix the credentials); others exit 1.
/// </summary>
public sealed class MlflowApiException : TollgateException
{
    public MlflowApiException(string endpoint, HttpStatusCode status, string? errorCode, string message)
        : base($"MLflow {endpoint} answered HTTP {(int)status}{(errorCode is null ? string.Empty : " " + errorCode)}: {message}{Hint(status)}")
    {
        Endpoint = endpoint;
        Status = status;
        ErrorCode = errorCode;
        ServerMessage = message;
    }

    public string Endpoint { get; }

    public HttpStatusCode Status { get; }

    /// <summary>MLflow's error code, e.g. <c>RESOURCE_DOES_NOT_EXIST</c>, <c>RESOURCE_ALREADY_EXISTS</c>, <c>INVALID_PARAMETER_VALUE</c>.</summary>
    public string? ErrorCode { get; }

    public string ServerMessage { get; }

    public override ExitCode ExitCode =>
        Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? ExitCode.Configuration : ExitCode.Unexpected;

    private static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
            " Set MLFLOW_TRACKING_TOKEN (bearer) or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic auth).",
        _ => string.Empty,
    };
}
