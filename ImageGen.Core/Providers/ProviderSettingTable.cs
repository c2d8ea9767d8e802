namespace ImageGen.Core.Providers;

/// <summary>
/// Every provider and CLI setting, declared once (variable, secret or not, default, rule). <see cref="ProviderSettings"/>
/// reads its values from here, the worker hands <see cref="All"/> on to the CLI, and the AppHost forwards
/// <see cref="All"/> to the worker and the web app (the secrets as secret parameters). A setting added here reaches the
/// CLI from the AppHost with nothing else to change; README's settings table must name it (a test holds both ways).
/// </summary>
public static class ProviderSettingTable
{
    public static readonly ProviderSetting<string?> OpenAiApiKey = SettingKinds.Secret("OPENAI_API_KEY", "openai-api-key");

    /// <summary>As in the OpenAI SDKs, with the version path; a gateway's prefix is kept (<see cref="ProviderUrl"/>).</summary>
    public static readonly ProviderSetting<string> OpenAiBaseUrl = SettingKinds.Text("OPENAI_BASE_URL", "https://api.openai.com/v1");

    public static readonly ProviderSetting<string> OpenAiModel = SettingKinds.Text("IMAGEGEN_OPENAI_MODEL", "gpt-image-2");

    public static readonly ProviderSetting<string?> GeminiApiKey = SettingKinds.Secret("GEMINI_API_KEY", "gemini-api-key");

    public static readonly ProviderSetting<string> GeminiBaseUrl = SettingKinds.Text("GEMINI_BASE_URL", "https://generativelanguage.googleapis.com/v1beta");

    public static readonly ProviderSetting<string> GeminiModel = SettingKinds.Text("IMAGEGEN_GEMINI_MODEL", "gemini-3.1-flash-image");

    /// <summary>Images one Gemini request may carry; unset: the model's documented limit.</summary>
    public static readonly ProviderSetting<int?> GeminiMaxInputImages = SettingKinds.Count("IMAGEGEN_GEMINI_MAX_IMAGES");

    /// <summary>An OpenAI-compatible server (sd-server, vLLM-Omni, LocalAI, Ollama…); no default.</summary>
    public static readonly ProviderSetting<string?> CompatBaseUrl = SettingKinds.OptionalText("IMAGEGEN_COMPAT_BASE_URL");

    public static readonly ProviderSetting<string?> CompatApiKey = SettingKinds.Secret("IMAGEGEN_COMPAT_API_KEY", "compat-api-key");

    public static readonly ProviderSetting<string> CompatModel = SettingKinds.Text("IMAGEGEN_COMPAT_MODEL", "default");

    /// <summary>Input images the compatible server's <c>/v1/images/edits</c> takes; unset: 0, text only.</summary>
    public static readonly ProviderSetting<int?> CompatMaxInputImages = SettingKinds.Count("IMAGEGEN_COMPAT_MAX_IMAGES");

    public static readonly ProviderSetting<bool> CompatSeed = SettingKinds.Flag("IMAGEGEN_COMPAT_SEED");

    /// <summary>An AUTOMATIC1111, Forge or SD.Next server started with <c>--api</c>; no default.</summary>
    public static readonly ProviderSetting<string?> A1111BaseUrl = SettingKinds.OptionalText("IMAGEGEN_A1111_BASE_URL");

    /// <summary>The <c>user:password</c> of a server started with <c>--api-auth</c>, sent as HTTP Basic credentials.</summary>
    public static readonly ProviderSetting<string?> A1111Auth = SettingKinds.Credentials("IMAGEGEN_A1111_AUTH", "a1111-auth");

    public static readonly ProviderSetting<string> A1111Model = SettingKinds.Text("IMAGEGEN_A1111_MODEL", "default");

    public static readonly ProviderSetting<int> A1111Steps = SettingKinds.WholeNumber("IMAGEGEN_A1111_STEPS", 20, 1, 150);

    public static readonly ProviderSetting<string> A1111Sampler = SettingKinds.Text("IMAGEGEN_A1111_SAMPLER", "Euler a");

    /// <summary>How far img2img may move from the source image.</summary>
    public static readonly ProviderSetting<double> A1111Denoising = SettingKinds.Number("IMAGEGEN_A1111_DENOISING", 0.6, 0, 1);

    /// <summary>A ComfyUI server; no default.</summary>
    public static readonly ProviderSetting<string?> ComfyUiBaseUrl = SettingKinds.OptionalText("IMAGEGEN_COMFYUI_BASE_URL");

    public static readonly ProviderSetting<string> ComfyUiModel = SettingKinds.Text("IMAGEGEN_COMFYUI_MODEL", "default");

    /// <summary>A workflow exported with "Save (API format)", with placeholders (docs/PROVIDERS.md).</summary>
    public static readonly ProviderSetting<string?> ComfyUiWorkflow = SettingKinds.OptionalText("IMAGEGEN_COMFYUI_WORKFLOW");

    /// <summary>How long one provider request may take: as long as the official SDKs' default (600 s), since image models at high quality often take minutes.</summary>
    public static readonly ProviderSetting<TimeSpan> RequestTimeout = SettingKinds.Seconds("IMAGEGEN_REQUEST_TIMEOUT", TimeSpan.FromSeconds(600), 1, 3600);

    /// <summary>zlib's level for the PNGs the CLI writes (<see cref="Imaging.ImageEncoder.DefaultPngCompression"/> says why 4).</summary>
    public static readonly ProviderSetting<int> PngCompression = SettingKinds.WholeNumber("IMAGEGEN_PNG_COMPRESSION", Imaging.ImageEncoder.DefaultPngCompression, 0, 9);

    /// <summary>A price file laid over the shipped table; read by <see cref="PriceTable.FromEnvironment"/>, which says when it is unreadable.</summary>
    public static readonly ProviderSetting<string?> PricesFile = SettingKinds.OptionalText("IMAGEGEN_PRICES_FILE");

    /// <summary>The base URL settings: credentials written into one (<c>http://user:pass@host</c>) are masked too (<see cref="SecretRedactor"/>).</summary>
    public static IReadOnlyList<ProviderSetting> BaseUrls { get; } = [OpenAiBaseUrl, GeminiBaseUrl, CompatBaseUrl, A1111BaseUrl, ComfyUiBaseUrl];

    /// <summary>Every setting, in the order the README lists them.</summary>
    public static IReadOnlyList<ProviderSetting> All { get; } =
    [
        RequestTimeout,
        OpenAiApiKey, GeminiApiKey,
        CompatBaseUrl, CompatModel, CompatApiKey, CompatMaxInputImages, GeminiMaxInputImages,
        OpenAiBaseUrl, GeminiBaseUrl, OpenAiModel, GeminiModel, CompatSeed,
        A1111BaseUrl, A1111Auth, A1111Model, A1111Steps, A1111Sampler, A1111Denoising,
        ComfyUiBaseUrl, ComfyUiModel, ComfyUiWorkflow,
        PngCompression, PricesFile,
    ];

    /// <summary>The secrets among <see cref="All"/>.</summary>
    public static IReadOnlyList<ProviderSetting> Secrets { get; } = [.. All.Where(s => s.IsSecret)];
}
