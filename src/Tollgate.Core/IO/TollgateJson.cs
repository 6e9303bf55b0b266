using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tollgate.Core.IO;

/// <summary>The JSON conventions of every file Tollgate writes: camelCase, indented, NaN written as a string.</summary>
public static class TollgateJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json, string source) =>
        JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new Errors.ConfigurationException($"{source}: the file is empty or 'null'.");

    /// <summary>Writes through a temporary file and a rename, so a reader never sees half a file.</summary>
    public static void WriteFile<T>(string path, T value) => AtomicFile.WriteAllText(path, Serialize(value));

    public static T ReadFile<T>(string path)
    {
        if (!File.Exists(path))
        {
            throw new Errors.ConfigurationException($"{path}: file not found.");
        }

        try
        {
            return Deserialize<T>(File.ReadAllText(path), path);
        }
        catch (JsonException ex)
        {
            throw new Errors.ConfigurationException(
                $"{path}: not valid JSON at line {ex.LineNumber + 1} ({ex.Message}). Re-run the stage that writes it.");
        }
    }
}
