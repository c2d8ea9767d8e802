namespace ImageGen.Core.Providers;

/// <summary>
/// Where the remote models are and the keys to reach them, read from the environment (the worker passes its own
/// environment to the CLI; the AppHost forwards keys as secret parameters). Model ids are settings with defaults,
/// never hard-coded in logic. Keys are held here only: never written to a payload, a manifest, a log or a span.
/// </summary>
public sealed record ProviderSettings
{
    public string? OpenAiApiKey { get; init; }
    public string OpenAiBaseUrl { get; init; } = "https://api.openai.com";
    public string OpenAiModel { get; init; } = "gpt-image-2";

    public string? GeminiApiKey { get; init; }
    public string GeminiBaseUrl { get; init; } = "https://generativelanguage.googleapis.com";
    public string GeminiModel { get; init; } = "gemini-3.1-flash-image";

    /// <summary>Images one Gemini request may carry; null: the model's documented limit.</summary>
    public int? GeminiMaxInputImages { get; init; }

    /// <summary>An OpenAI-compatible server (sd-server, vLLM-Omni, LocalAI, Ollama…); no default.</summary>
    public string? CompatBaseUrl { get; init; }
    public string? CompatApiKey { get; init; }
    public string CompatModel { get; init; } = "default";

    /// <summary>
    /// How many input images the compatible server accepts on its <c>/v1/images/edits</c> endpoint (references and a
    /// source image). 0, the default: the server is taken as text only and no image is sent to it.
    /// </summary>
    public int CompatMaxInputImages { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Every variable <see cref="FromEnvironment"/> reads: what the worker hands on to the CLI from its configuration.</summary>
    public static IReadOnlyList<string> Variables { get; } =
    [
        "OPENAI_API_KEY", "OPENAI_BASE_URL", "IMAGEGEN_OPENAI_MODEL", "GEMINI_API_KEY", "GEMINI_BASE_URL", "IMAGEGEN_GEMINI_MODEL",
        "IMAGEGEN_COMPAT_BASE_URL", "IMAGEGEN_COMPAT_API_KEY", "IMAGEGEN_COMPAT_MODEL",
        "IMAGEGEN_GEMINI_MAX_IMAGES", "IMAGEGEN_COMPAT_MAX_IMAGES",
    ];

    /// <summary>The variables that hold keys: what <see cref="SecretRedactor"/> masks.</summary>
    public static IReadOnlyList<string> KeyVariables { get; } = ["OPENAI_API_KEY", "GEMINI_API_KEY", "IMAGEGEN_COMPAT_API_KEY"];

    public static ProviderSettings FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => read(name) is { Length: > 0 } value ? value.Trim() : null;
        var defaults = new ProviderSettings();
        return new ProviderSettings
        {
            OpenAiApiKey = Get("OPENAI_API_KEY"),
            OpenAiBaseUrl = Get("OPENAI_BASE_URL") ?? defaults.OpenAiBaseUrl,
            OpenAiModel = Get("IMAGEGEN_OPENAI_MODEL") ?? defaults.OpenAiModel,
            GeminiApiKey = Get("GEMINI_API_KEY"),
            GeminiBaseUrl = Get("GEMINI_BASE_URL") ?? defaults.GeminiBaseUrl,
            GeminiModel = Get("IMAGEGEN_GEMINI_MODEL") ?? defaults.GeminiModel,
            CompatBaseUrl = Get("IMAGEGEN_COMPAT_BASE_URL"),
            CompatApiKey = Get("IMAGEGEN_COMPAT_API_KEY"),
            CompatModel = Get("IMAGEGEN_COMPAT_MODEL") ?? defaults.CompatModel,
            GeminiMaxInputImages = Count(Get("IMAGEGEN_GEMINI_MAX_IMAGES"), "IMAGEGEN_GEMINI_MAX_IMAGES"),
            CompatMaxInputImages = Count(Get("IMAGEGEN_COMPAT_MAX_IMAGES"), "IMAGEGEN_COMPAT_MAX_IMAGES") ?? 0,
        };
    }

    /// <summary>A count setting: a whole number from 0 to <see cref="Generation.GenerateRequest.MaxReferences"/>, or a usage error naming it.</summary>
    private static int? Count(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            && count <= Generation.GenerateRequest.MaxReferences
            ? count
            : throw Generation.ImageGenException.Usage($"{name} is '{value}': it must be a whole number from 0 to {Generation.GenerateRequest.MaxReferences}.");
    }
}
