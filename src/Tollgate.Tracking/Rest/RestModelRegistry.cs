using System.Net;
using System.Text.Json.Nodes;
using Tollgate.Tracking.Entities;

namespace Tollgate.Tracking.Rest;

/// <summary>
/// <see cref="IModelRegistry"/> over MLflow's REST API: registered-models create/alias, model-versions create/get/
/// search/set-tag. An unknown alias is a 400 <c>INVALID_PARAMETER_VALUE</c> in MLflow (not a 404): read as "no alias".
/// </summary>
public sealed class RestModelRegistry : IModelRegistry
{
    private const string Api = "api/2.0/mlflow/";
    private readonly MlflowHttpClient client;

    public RestModelRegistry(MlflowHttpClient client)
    {
        this.client = client;
    }

    public async Task EnsureRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["name"] = name };
        if (description is not null)
        {
            body["description"] = description;
        }

        try
        {
            await client.SendAsync(HttpMethod.Post, Api + "registered-models/create", body, cancellationToken);
        }
        catch (MlflowApiException ex) when (ex.ErrorCode == "RESOURCE_ALREADY_EXISTS")
        {
            // Exists already: that is what we wanted.
        }
    }

    public async Task<ModelVersionInfo> CreateVersionAsync(
        string name,
        string source,
        string runId,
        string? description,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["name"] = name, ["source"] = source, ["run_id"] = runId };
        if (description is not null)
        {
            body["description"] = description;
        }

        if (tags.Count > 0)
        {
            body["tags"] = MlflowJson.KeyValues(tags.OrderBy(t => t.Key, StringComparer.Ordinal));
        }

        var answer = await client.SendAsync(HttpMethod.Post, Api + "model-versions/create", body, cancellationToken);
        return MlflowJson.ReadModelVersion(answer!["model_version"]!);
    }

    public async Task<ModelVersionInfo?> GetVersionAsync(string name, string version, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await client.SendAsync(
                HttpMethod.Get,
                $"{Api}model-versions/get?name={Uri.EscapeDataString(name)}&version={Uri.EscapeDataString(version)}",
                null,
                cancellationToken);
            return MlflowJson.ReadModelVersion(answer!["model_version"]!);
        }
        catch (MlflowApiException ex) when (ex.ErrorCode == "RESOURCE_DOES_NOT_EXIST")
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ModelVersionInfo>> SearchVersionsAsync(string name, CancellationToken cancellationToken)
    {
        var filter = $"name='{name.Replace("'", "\\'", StringComparison.Ordinal)}'";
        var versions = new List<ModelVersionInfo>();
        string? pageToken = null;
        do
        {
            var query = $"{Api}model-versions/search?filter={Uri.EscapeDataString(filter)}"
                + (pageToken is null ? string.Empty : "&page_token=" + Uri.EscapeDataString(pageToken));
            var answer = await client.SendAsync(HttpMethod.Get, query, null, cancellationToken);
            var page = (answer?["model_versions"] as JsonArray ?? []).Where(v => v is not null).Select(v => MlflowJson.ReadModelVersion(v!)).ToList();
            versions.AddRange(page);
            pageToken = page.Count > 0 ? MlflowJson.ReadString(answer?["next_page_token"]) : null;
        }
        while (!string.IsNullOrEmpty(pageToken));

        return versions;
    }

    public async Task SetVersionTagAsync(string name, string version, string key, string value, CancellationToken cancellationToken) =>
        await client.SendAsync(
            HttpMethod.Post,
            Api + "model-versions/set-tag",
            new JsonObject { ["name"] = name, ["version"] = version, ["key"] = key, ["value"] = value },
            cancellationToken);

    public async Task SetAliasAsync(string name, string alias, string version, CancellationToken cancellationToken) =>
        await client.SendAsync(
            HttpMethod.Post,
            Api + "registered-models/alias",
            new JsonObject { ["name"] = name, ["alias"] = alias, ["version"] = version },
            cancellationToken);

    public async Task<ModelVersionInfo?> GetByAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await client.SendAsync(
                HttpMethod.Get,
                $"{Api}registered-models/alias?name={Uri.EscapeDataString(name)}&alias={Uri.EscapeDataString(alias)}",
                null,
                cancellationToken);
            return MlflowJson.ReadModelVersion(answer!["model_version"]!);
        }
        catch (MlflowApiException ex) when (ex.ErrorCode == "RESOURCE_DOES_NOT_EXIST"
            || (ex.Status == HttpStatusCode.BadRequest && ex.ErrorCode == "INVALID_PARAMETER_VALUE" && ex.ServerMessage.Contains("alias", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
    }

    public async Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        try
        {
            await client.SendAsync(HttpMethod.Delete, Api + "registered-models/alias", new JsonObject { ["name"] = name, ["alias"] = alias }, cancellationToken);
        }
        catch (MlflowApiException ex) when (ex.ErrorCode is "RESOURCE_DOES_NOT_EXIST" or "INVALID_PARAMETER_VALUE")
        {
            // Already gone.
        }
    }
}
