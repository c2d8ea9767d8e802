namespace ImageGen.Core.Providers;

/// <summary>
/// Where the remote models are and the keys to reach them, read from the environment (the worker passes its own
/// environment to the CLI; the AppHost forwards keys as secret parameters). Model ids are settings with defaults,
/// never hard-coded in logic. Keys are held here only: never written to a payload, a manifest, a log or a span.
/// </summary>
public sealed record ProviderSettings
{
    public string? OpenAiApiKey { get; init; }
    /// <summary>As in the OpenAI SDKs, with the version path; a gateway's prefix is kept (<see cref="ProviderUrl"/>).</summary>
    public string OpenAiBaseUrl { get; init; } = "https://api.openai.com/v1";
    public string OpenAiModel { get; init; } = "gpt-image-2";

    public string? GeminiApiKey { get; init; }
    public string GeminiBaseUrl { get; init; } = "https://generativelanguage.googleapis.com/v1beta";
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

    /// <summary>
    /// The server documents a <c>seed</c> field (vLLM-Omni, LocalAI): then each image is asked for in its own call with
    /// its own seed, so each file's seed remakes it. Off by default (sd-server has no seed field).
    /// </summary>
    public bool CompatSeed { get; init; }

    /// <summary>An AUTOMATIC1111, Forge or SD.Next server started with <c>--api</c>; no default.</summary>
    public string? A1111BaseUrl { get; init; }

    /// <summary>
    /// <c>user:password</c> of a server started with <c>--api-auth</c>, sent as HTTP Basic on every request to it
    /// (<c>IMAGEGEN_A1111_AUTH</c>). A secret: masked like the keys, never echoed in a message.
    /// </summary>
    public string? A1111Auth { get; init; }
    public string A1111Model { get; init; } = "default";
    public int A1111Steps { get; init; } = 20;
    public string A1111Sampler { get; init; } = "Euler a";

    /// <summary>How far img2img may move from the source image (0–1).</summary>
    public double A1111Denoising { get; init; } = 0.6;

    /// <summary>A ComfyUI server; no default.</summary>
    public string? ComfyUiBaseUrl { get; init; }
    public string ComfyUiModel { get; init; } = "default";

    /// <summary>A workflow exported with "Save (API format)", with placeholders (docs/PROVIDERS.md).</summary>
    public string? ComfyUiWorkflow { get; init; }

    /// <summary>How long one provider request may take. As long as the official SDKs' default (600 s): image models at high quality often take minutes.</summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>zlib's level for the PNGs the CLI writes: <c>IMAGEGEN_PNG_COMPRESSION</c>, 0–9.</summary>
    public int PngCompression { get; init; } = Imaging.ImageEncoder.DefaultPngCompression;

    public static TimeSpan DefaultRequestTimeout { get; } = TimeSpan.FromSeconds(600);

    public const string TimeoutVariable = "IMAGEGEN_REQUEST_TIMEOUT";

    public const string A1111AuthVariable = "IMAGEGEN_A1111_AUTH";

    /// <summary>The base URL settings: credentials written into one (<c>http://user:pass@host</c>) are secrets too.</summary>
    public static IReadOnlyList<string> BaseUrlVariables { get; } =
        ["OPENAI_BASE_URL", "GEMINI_BASE_URL", "IMAGEGEN_COMPAT_BASE_URL", "IMAGEGEN_A1111_BASE_URL", "IMAGEGEN_COMFYUI_BASE_URL"];

    /// <summary>Every variable <see cref="FromEnvironment"/> reads: what the worker hands on to the CLI from its configuration.</summary>
    public static IReadOnlyList<string> Variables { get; } =
    [
        "OPENAI_API_KEY", "OPENAI_BASE_URL", "IMAGEGEN_OPENAI_MODEL", "GEMINI_API_KEY", "GEMINI_BASE_URL", "IMAGEGEN_GEMINI_MODEL",
        "IMAGEGEN_COMPAT_BASE_URL", "IMAGEGEN_COMPAT_API_KEY", "IMAGEGEN_COMPAT_MODEL",
        "IMAGEGEN_GEMINI_MAX_IMAGES", "IMAGEGEN_COMPAT_MAX_IMAGES", "IMAGEGEN_COMPAT_SEED",
        "IMAGEGEN_A1111_BASE_URL", A1111AuthVariable, "IMAGEGEN_A1111_MODEL", "IMAGEGEN_A1111_STEPS", "IMAGEGEN_A1111_SAMPLER", "IMAGEGEN_A1111_DENOISING",
        "IMAGEGEN_COMFYUI_BASE_URL", "IMAGEGEN_COMFYUI_MODEL", "IMAGEGEN_COMFYUI_WORKFLOW",
        TimeoutVariable, PriceTable.FileVariable,
    ];

    /// <summary>The variables that hold keys and credentials: what <see cref="SecretRedactor"/> masks (with <see cref="BaseUrlVariables"/>' user info).</summary>
    public static IReadOnlyList<string> KeyVariables { get; } = ["OPENAI_API_KEY", "GEMINI_API_KEY", "IMAGEGEN_COMPAT_API_KEY", A1111AuthVariable];

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
            CompatSeed = Flag(Get("IMAGEGEN_COMPAT_SEED"), "IMAGEGEN_COMPAT_SEED"),
            A1111BaseUrl = Get("IMAGEGEN_A1111_BASE_URL"),
            A1111Auth = Credentials(Get(A1111AuthVariable), A1111AuthVariable),
            A1111Model = Get("IMAGEGEN_A1111_MODEL") ?? defaults.A1111Model,
            A1111Steps = (int)(Number(Get("IMAGEGEN_A1111_STEPS"), "IMAGEGEN_A1111_STEPS", 1, 150, wholeNumber: true) ?? defaults.A1111Steps),
            A1111Sampler = Get("IMAGEGEN_A1111_SAMPLER") ?? defaults.A1111Sampler,
            A1111Denoising = Number(Get("IMAGEGEN_A1111_DENOISING"), "IMAGEGEN_A1111_DENOISING", 0, 1, wholeNumber: false) ?? defaults.A1111Denoising,
            PngCompression = (int)(Number(Get("IMAGEGEN_PNG_COMPRESSION"), "IMAGEGEN_PNG_COMPRESSION", 0, 9, wholeNumber: true) ?? defaults.PngCompression),
            ComfyUiBaseUrl = Get("IMAGEGEN_COMFYUI_BASE_URL"),
            ComfyUiModel = Get("IMAGEGEN_COMFYUI_MODEL") ?? defaults.ComfyUiModel,
            ComfyUiWorkflow = Get("IMAGEGEN_COMFYUI_WORKFLOW"),
            RequestTimeout = Number(Get(TimeoutVariable), TimeoutVariable, 1, 3600, wholeNumber: true) is { } seconds
                ? TimeSpan.FromSeconds(seconds) : DefaultRequestTimeout,
        };
    }

    /// <summary><c>user:password</c>, or a usage error naming the setting (never its value, which is a secret).</summary>
    private static string? Credentials(string? value, string name) =>
        value is null || value.IndexOf(':', StringComparison.Ordinal) > 0
            ? value
            : throw Generation.ImageGenException.Usage($"{name} must be user:password, as given to the server's --api-auth (its value is not shown: it is a secret).");

    /// <summary>true or false (also 1/0, yes/no), or a usage error naming the setting.</summary>
    private static bool Flag(string? value, string name) => value?.ToLowerInvariant() switch
    {
        null => false,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw Generation.ImageGenException.Usage($"{name} is '{value}': it must be true or false."),
    };

    /// <summary>A number within [min, max], or a usage error naming the setting and the range.</summary>
    private static double? Number(string? value, string name, double min, double max, bool wholeNumber)
    {
        if (value is null)
        {
            return null;
        }
        var styles = wholeNumber ? System.Globalization.NumberStyles.None : System.Globalization.NumberStyles.AllowDecimalPoint;
        return double.TryParse(value, styles, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw Generation.ImageGenException.Usage($"{name} is '{value}': it must be {(wholeNumber ? "a whole number" : "a number")} from {min} to {max}.");
    }

    /// <summary>A count setting: a whole number from 0 to <see cref="Generation.JobSpec.MaxReferences"/>, or a usage error naming it.</summary>
    private static int? Count(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            && count <= Generation.JobSpec.MaxReferences
            ? count
            : throw Generation.ImageGenException.Usage($"{name} is '{value}': it must be a whole number from 0 to {Generation.JobSpec.MaxReferences}.");
    }
}
