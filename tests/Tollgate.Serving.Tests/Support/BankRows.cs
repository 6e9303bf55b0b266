using System.Text.Json.Nodes;

namespace Tollgate.Serving.Tests.Support;

/// <summary>Request rows in the shape of the bank-marketing contract.</summary>
public static class BankRows
{
    public static JsonObject Valid(int age = 35, string job = "technician", string poutcome = "unknown") => new()
    {
        ["age"] = age,
        ["job"] = job,
        ["marital"] = "married",
        ["education"] = "secondary",
        ["default"] = "no",
        ["balance"] = 1200,
        ["housing"] = "yes",
        ["loan"] = "no",
        ["contact"] = "cellular",
        ["month"] = "may",
        ["campaign"] = 2,
        ["pdays"] = -1,
        ["previous"] = 0,
        ["poutcome"] = poutcome,
    };
}
