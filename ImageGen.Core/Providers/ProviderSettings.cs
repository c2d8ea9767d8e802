namespace ImageGen.Core.Providers;

/// <summary>
/// Where the remote models are and the keys to reach them, read from the environment (the worker passes its own
/// environment to the CLI; the AppHost forwards keys as secret parameters). Each value's variable, default and rule are
/// declared once, in <see cref="ProviderSettingTable"/>. Model ids are settings with defaults, never hard-coded in logic.
/// Keys are held here only: never written to a payload, a manifest, a log or a span.
/// </summary>
public sealed record ProviderSettings
{
    public string? OpenAiApiKey { get; init; }
    /// <summary>As in the OpenAI SDKs, with the version path; a gateway's prefix is kept (<see cref="ProviderUrl"/>).</summary>
    public string OpenAiBaseUrl { get; init; } = ProviderSettingTable.OpenAiBaseUrl.Default;
    public string OpenAiModel { get; init; } = ProviderSettingTable.OpenAiModel.Default;

    public string? GeminiApiKey { get; init; }
    public string GeminiBaseUrl { get; init; } = ProviderSettingTable.GeminiBaseUrl.Default;
    public string GeminiModel { get; init; } = ProviderSettingTable.GeminiModel.Default;

    /// <summary>Images one Gemini request may carry; null: the model's documented limit.</summary>
    public int? GeminiMaxInputImages { get; init; }

    /// <summary>An OpenAI-compatible server (sd-server, vLLM-Omni, LocalAI, Ollama…); no default.</summary>
    public string? CompatBaseUrl { get; init; }
    public string? CompatApiKey { get; init; }
    public string CompatModel { get; init; } = ProviderSettingTable.CompatModel.Default;

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
    public string A1111Model { get; init; } = ProviderSettingTable.A1111Model.Default;
    public int A1111Steps { get; init; } = ProviderSettingTable.A1111Steps.Default;
    public string A1111Sampler { get; init; } = ProviderSettingTable.A1111Sampler.Default;

    /// <summary>How far img2img may move from the source image (0–1).</summary>
    public double A1111Denoising { get; init; } = ProviderSettingTable.A1111Denoising.Default;

    /// <summary>A ComfyUI server; no default.</summary>
    public string? ComfyUiBaseUrl { get; init; }
    public string ComfyUiModel { get; init; } = ProviderSettingTable.ComfyUiModel.Default;

    /// <summary>A workflow exported with "Save (API format)", with placeholders (docs/PROVIDERS.md).</summary>
    public string? ComfyUiWorkflow { get; init; }

    /// <summary>How long one provider request may take. As long as the official SDKs' default (600 s): image models at high quality often take minutes.</summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>zlib's level for the PNGs the CLI writes: <c>IMAGEGEN_PNG_COMPRESSION</c>, 0–9.</summary>
    public int PngCompression { get; init; } = ProviderSettingTable.PngCompression.Default;

    public static TimeSpan DefaultRequestTimeout => ProviderSettingTable.RequestTimeout.Default;

    public static string TimeoutVariable => ProviderSettingTable.RequestTimeout.Variable;

    /// <summary>Every variable of <see cref="ProviderSettingTable"/>: what the worker hands on to the CLI from its configuration.</summary>
    public static IReadOnlyList<string> Variables { get; } = [.. ProviderSettingTable.All.Select(s => s.Variable)];

    /// <summary>The variables that hold keys and passwords: what <see cref="SecretRedactor"/> masks.</summary>
    public static IReadOnlyList<string> KeyVariables { get; } = [.. ProviderSettingTable.Secrets.Select(s => s.Variable)];

    public static string A1111AuthVariable => ProviderSettingTable.A1111Auth.Variable;

    /// <summary>The base URL settings: credentials written into one (<c>http://user:pass@host</c>) are secrets too.</summary>
    public static IReadOnlyList<string> BaseUrlVariables { get; } = [.. ProviderSettingTable.BaseUrls.Select(s => s.Variable)];

    /// <summary>Every setting <paramref name="read"/> gives (the process environment by default); a usage error naming the first variable that breaks its rule.</summary>
    public static ProviderSettings FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        return new ProviderSettings
        {
            OpenAiApiKey = ProviderSettingTable.OpenAiApiKey.Read(read),
            OpenAiBaseUrl = ProviderSettingTable.OpenAiBaseUrl.Read(read),
            OpenAiModel = ProviderSettingTable.OpenAiModel.Read(read),
            GeminiApiKey = ProviderSettingTable.GeminiApiKey.Read(read),
            GeminiBaseUrl = ProviderSettingTable.GeminiBaseUrl.Read(read),
            GeminiModel = ProviderSettingTable.GeminiModel.Read(read),
            CompatBaseUrl = ProviderSettingTable.CompatBaseUrl.Read(read),
            CompatApiKey = ProviderSettingTable.CompatApiKey.Read(read),
            CompatModel = ProviderSettingTable.CompatModel.Read(read),
            GeminiMaxInputImages = ProviderSettingTable.GeminiMaxInputImages.Read(read),
            CompatMaxInputImages = ProviderSettingTable.CompatMaxInputImages.Read(read) ?? 0,
            CompatSeed = ProviderSettingTable.CompatSeed.Read(read),
            A1111BaseUrl = ProviderSettingTable.A1111BaseUrl.Read(read),
            A1111Auth = ProviderSettingTable.A1111Auth.Read(read),
            A1111Model = ProviderSettingTable.A1111Model.Read(read),
            A1111Steps = ProviderSettingTable.A1111Steps.Read(read),
            A1111Sampler = ProviderSettingTable.A1111Sampler.Read(read),
            A1111Denoising = ProviderSettingTable.A1111Denoising.Read(read),
            PngCompression = ProviderSettingTable.PngCompression.Read(read),
            ComfyUiBaseUrl = ProviderSettingTable.ComfyUiBaseUrl.Read(read),
            ComfyUiModel = ProviderSettingTable.ComfyUiModel.Read(read),
            ComfyUiWorkflow = ProviderSettingTable.ComfyUiWorkflow.Read(read),
            RequestTimeout = ProviderSettingTable.RequestTimeout.Read(read),
        };
    }
}
