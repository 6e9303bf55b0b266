using Microsoft.AspNetCore.Http;
using Tollgate.Serving.Contracts;
using Tollgate.Serving.Hosting;
using Tollgate.Serving.Scoring;

namespace Tollgate.Serving.Endpoints;

/// <summary><c>GET /v1/metadata</c>: what is being served — name, version, run, threshold, training time and data period, commit, image, features.</summary>
public static class MetadataEndpoint
{
    public static Task WriteAsync(HttpContext context, IScoringModel model, ServingContract contract, ServingOptions options) =>
        JsonResponses.WriteAsync(context, 200, json =>
        {
            var info = model.Info;
            json.WriteStartObject();
            json.WriteString("name", info.Name);
            json.WriteString("version", info.Version);
            json.WriteString("runId", info.RunId);
            json.WriteString("task", info.Task);
            json.WriteNumberOrNull("threshold", info.Threshold);
            json.WriteString("thresholdSource", info.ThresholdSource);
            if (info.TrainedAt is { } trained)
            {
                json.WriteString("trainedAt", trained);
            }
            else
            {
                json.WriteNull("trainedAt");
            }

            json.WriteStartObject("dataPeriod");
            json.WriteString("start", info.DataPeriodStart);
            json.WriteString("end", info.DataPeriodEnd);
            json.WriteEndObject();
            json.WriteString("commit", info.Commit);
            json.WriteString("image", options.Image);
            json.WriteString("contract", Path.GetFileName(contract.Path));
            json.WriteStartObject("features");
            json.WriteStartArray("numeric");
            foreach (var n in model.Schema.Numeric)
            {
                json.WriteStringValue(n);
            }

            json.WriteEndArray();
            json.WriteStartArray("categorical");
            foreach (var c in model.Schema.Categorical)
            {
                json.WriteStringValue(c);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        });
}
