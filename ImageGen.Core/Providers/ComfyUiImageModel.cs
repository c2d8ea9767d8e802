using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>
/// <c>comfyui/&lt;name&gt;</c>: a ComfyUI server running a workflow the user exported with "Save (API format)"
/// (<c>IMAGEGEN_COMFYUI_WORKFLOW</c>). String values in it are placeholders: <c>{{prompt}}</c> (required; may sit inside
/// longer text), and, as whole values, <c>{{seed}}</c>, <c>{{width}}</c>, <c>{{height}}</c>, <c>{{count}}</c> (numbers) and
/// <c>{{model}}</c> (the id's name, e.g. a checkpoint file). Each image is its own prompt with its own seed (<c>{{count}}</c>
/// is 1), so every file's seed remakes it and the images already made are kept when a later one fails. A prompt is queued
/// with <c>POST {base}/prompt</c>, followed on <c>GET {base}/history/{id}</c>, and its images fetched from
/// <c>GET {base}/view</c>. A workflow the server refuses is reported with each node's errors.
/// </summary>
public sealed class ComfyUiImageModel(string model, ProviderSettings settings, HttpClient http) : IImageModel
{
    public const string Prefix = "comfyui/";
    private const string Provider = "The ComfyUI server";

    /// <summary>How often a queued prompt's history is read while it runs.</summary>
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public ModelInfo Info { get; } = new(
        Prefix + model, model == "default" ? "ComfyUI workflow" : $"ComfyUI ({model})",
        "A local ComfyUI server running the workflow in IMAGEGEN_COMFYUI_WORKFLOW.",
        settings.ComfyUiBaseUrl is not null && settings.ComfyUiWorkflow is not null,
        settings.ComfyUiBaseUrl is null ? "IMAGEGEN_COMFYUI_BASE_URL is not set."
        : settings.ComfyUiWorkflow is null ? "IMAGEGEN_COMFYUI_WORKFLOW is not set (a workflow saved in API format, with placeholders)."
        : null)
    {
        Capabilities = new ModelCapabilities
        {
            Seed = true,
            Sizes = "any size, each side rounded to a multiple of 8 (64–2048 px) for {{width}} and {{height}}; the output is resized locally to the exact size",
        },
    };

    /// <summary>HTTP Basic when the base URL carries credentials (a ComfyUI behind an authenticating proxy).</summary>
    private ProviderClient Client => new(http, Provider, Paid: false, ProviderHttp.BasicAuth(settings.ComfyUiBaseUrl!, "IMAGEGEN_COMFYUI_BASE_URL"), ReadError);

    public async Task<ModelAnswer> GenerateAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var template = LoadWorkflow(settings.ComfyUiWorkflow!);
        var size = SizeMapping.StableDiffusion(request.Size);
        var images = new List<ModelImage>(request.Count);
        var promptIds = new List<string>();
        ImageGenException? failure = null;
        for (var i = 0; i < request.Count; i++)
        {
            var seed = request.Seed + i;
            try
            {
                var workflow = Fill(template, request.Prompt, seed, size.Width, size.Height, model);
                using var queued = await Client.PostJsonAsync(ProviderUrl.Join(settings.ComfyUiBaseUrl!, "", "prompt"),
                    new JsonObject { ["prompt"] = workflow, ["client_id"] = ClientId }, cancellationToken);
                var promptId = queued.Root.String("prompt_id")
                    ?? throw new ImageGenException(ErrorKind.Permanent, $"{Provider} queued the workflow without a prompt_id.");
                promptIds.Add(promptId);
                // A 200 may still name output nodes the server skipped (their inputs failed validation; the rest run):
                // when no image comes out, that is the reason to give.
                var skipped = NodeErrors(queued.Root.Property("node_errors"));
                foreach (var file in await WaitForOutputsAsync(promptId, skipped, cancellationToken))
                {
                    var bytes = await Client.GetBytesAsync(ProviderUrl.Join(settings.ComfyUiBaseUrl!, "",
                        $"view?filename={Uri.EscapeDataString(file.Name)}&subfolder={Uri.EscapeDataString(file.Subfolder)}&type={Uri.EscapeDataString(file.Type)}"),
                        cancellationToken);
                    images.Add(ModelImage.Unfinished(bytes, seed));
                    break; // one image per prompt: a workflow that also saves intermediates gives its first output
                }
            }
            catch (ImageGenException e) when (images.Count > 0)
            {
                failure = e;
                break;
            }
        }
        return new ModelAnswer(images)
        {
            SentSize = size.Sent,
            SentPixels = size.Pixels,
            RequestIds = promptIds,
            Failure = failure,
        };
    }

    private static readonly string ClientId = Guid.NewGuid().ToString("N");

    private sealed record OutputFile(string Name, string Subfolder, string Type);

    /// <summary>Reads the prompt's history until it has output images, or says why it has none.</summary>
    /// <param name="skipped">The output nodes the server said it would skip when it queued the prompt, in words; null when none.</param>
    private async Task<IReadOnlyList<OutputFile>> WaitForOutputsAsync(string promptId, string? skipped, CancellationToken cancellationToken)
    {
        var url = ProviderUrl.Join(settings.ComfyUiBaseUrl!, "", $"history/{Uri.EscapeDataString(promptId)}");
        var deadline = DateTime.UtcNow + settings.RequestTimeout;
        while (true)
        {
            using (var history = await Client.GetJsonAsync(url, cancellationToken))
            {
                var entry = history.Root.Property(promptId);
                if (entry.ValueKind == JsonValueKind.Object)
                {
                    var status = entry.Property("status");
                    if (status.String("status_str") == "error")
                    {
                        throw Interrupted(status) is { } node
                            // Cancel in ComfyUI's queue or POST /interrupt: nothing is wrong with the request, so another try may work.
                            ? new ImageGenException(ErrorKind.Transient,
                                $"{Provider} canceled the workflow at {node}: it was interrupted on the server (Cancel in ComfyUI's queue, or POST /interrupt), not by ImageGen. Retry runs it again.")
                            : new ImageGenException(ErrorKind.Permanent, $"{Provider} failed while running the workflow: {ExecutionError(status)}");
                    }
                    var files = new List<OutputFile>();
                    if (entry.Property("outputs") is { ValueKind: JsonValueKind.Object } outputs)
                    {
                        foreach (var node in outputs.EnumerateObject())
                        {
                            if (node.Value.Property("images") is { ValueKind: JsonValueKind.Array } list)
                            {
                                files.AddRange(list.EnumerateArray()
                                    .Where(f => (f.String("type") ?? "output") == "output" && f.String("filename") is not null)
                                    .Select(f => new OutputFile(f.String("filename")!, f.String("subfolder") ?? "", f.String("type") ?? "output")));
                            }
                        }
                    }
                    if (files.Count > 0)
                    {
                        return files;
                    }
                    if (status.Property("completed") is { ValueKind: JsonValueKind.True })
                    {
                        throw new ImageGenException(ErrorKind.Permanent, skipped is not null
                            ? $"{Provider} ran the workflow without its output: it skipped {skipped}"
                            : $"{Provider} ran the workflow but it saved no image: it needs a SaveImage node.");
                    }
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new ImageGenException(ErrorKind.Transient, $"{Provider} did not finish the workflow within {settings.RequestTimeout.TotalSeconds:0} s ({ProviderSettings.TimeoutVariable}).");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// The node a run was interrupted at ("KSampler (node 3)"), from an <c>execution_interrupted</c> entry of the history's
    /// <c>status.messages</c> (a list of <c>[event, data]</c>, as ComfyUI's executor records them); null when it was not interrupted.
    /// </summary>
    private static string? Interrupted(JsonElement status)
    {
        if (status.Property("messages") is { ValueKind: JsonValueKind.Array } messages)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Array && message.GetArrayLength() == 2 && message[0].ValueKind == JsonValueKind.String
                    && message[0].GetString() == "execution_interrupted")
                {
                    var detail = message[1];
                    return $"{detail.String("node_type") ?? "a node"} (node {detail.String("node_id") ?? "?"})";
                }
            }
        }
        return null;
    }

    private static string ExecutionError(JsonElement status)
    {
        if (status.Property("messages") is { ValueKind: JsonValueKind.Array } messages)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Array && message.GetArrayLength() == 2 && message[0].GetString() == "execution_error")
                {
                    var detail = message[1];
                    return $"{detail.String("node_type") ?? "a node"} (node {detail.String("node_id") ?? "?"}): {detail.String("exception_message")?.Trim() ?? "no message"}";
                }
            }
        }
        return "no message";
    }

    /// <summary>The workflow file, checked: JSON in API format (node id → {class_type, inputs}) with a <c>{{prompt}}</c> placeholder.</summary>
    internal static JsonObject LoadWorkflow(string path)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > 4 * 1024 * 1024)
            {
                throw ImageGenException.Usage($"IMAGEGEN_COMFYUI_WORKFLOW '{path}' is over 4 MiB; a workflow is a few kilobytes.");
            }
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ImageGenException.Usage($"IMAGEGEN_COMFYUI_WORKFLOW '{path}' could not be read: {e.Message}");
        }
        JsonObject workflow;
        try
        {
            workflow = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw ImageGenException.Usage($"IMAGEGEN_COMFYUI_WORKFLOW '{path}' is not a workflow in API format: {e.Message}");
        }
        if (workflow.Any(node => node.Value is not JsonObject n || n["class_type"] is null))
        {
            throw ImageGenException.Usage($"IMAGEGEN_COMFYUI_WORKFLOW '{path}' is not in API format (each node needs a class_type): export it with \"Save (API format)\".");
        }
        if (!text.Contains("{{prompt}}", StringComparison.Ordinal))
        {
            throw ImageGenException.Usage($"IMAGEGEN_COMFYUI_WORKFLOW '{path}' has no {{{{prompt}}}} placeholder: put it in the positive prompt's text.");
        }
        return workflow;
    }

    /// <summary>A copy of the workflow with every placeholder replaced.</summary>
    internal static JsonNode Fill(JsonObject template, string prompt, long seed, int width, int height, string model)
    {
        var numbers = new Dictionary<string, long>
        {
            ["{{seed}}"] = seed, ["{{width}}"] = width, ["{{height}}"] = height, ["{{count}}"] = 1,
        };
        JsonNode? Replace(JsonNode? node) => node switch
        {
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Replace(p.Value)))),
            JsonArray a => new JsonArray([.. a.Select(Replace)]),
            JsonValue v when v.TryGetValue<string>(out var text) => numbers.TryGetValue(text, out var number)
                ? JsonValue.Create(number)
                : JsonValue.Create(text.Replace("{{prompt}}", prompt, StringComparison.Ordinal).Replace("{{model}}", model, StringComparison.Ordinal)),
            _ => node?.DeepClone(),
        };
        return Replace(template)!;
    }

    /// <summary>
    /// ComfyUI's refusal: <c>{"error": {"type","message","details"}, "node_errors": {id: {"class_type", "errors": [{"message","details"}]}}}</c>,
    /// made into one sentence naming each node and what is wrong with it.
    /// </summary>
    internal static ProviderError ReadError(JsonElement root)
    {
        var error = root.Property("error");
        var message = error.ValueKind == JsonValueKind.String ? error.GetString() : error.String("message");
        var text = string.Join(" — ", new[] { message, NodeErrors(root.Property("node_errors")) }.Where(t => !string.IsNullOrWhiteSpace(t)));
        return new ProviderError(error.String("type"), text.Length == 0 ? null : text);
    }

    /// <summary>
    /// <c>node_errors</c> (<c>{id: {"class_type", "errors": [{"message","details"}]}}</c>) as one sentence naming each node
    /// and what is wrong with it; null when there are none.
    /// </summary>
    private static string? NodeErrors(JsonElement nodeErrors)
    {
        if (nodeErrors.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var nodes = new List<string>();
        foreach (var node in nodeErrors.EnumerateObject())
        {
            var problems = node.Value.Property("errors") is { ValueKind: JsonValueKind.Array } errors
                ? string.Join("; ", errors.EnumerateArray().Select(e => string.Join(": ", new[] { e.String("message"), e.String("details") }.Where(t => !string.IsNullOrWhiteSpace(t)))))
                : "";
            nodes.Add($"node {node.Name} ({node.Value.String("class_type") ?? "?"}): {problems}");
        }
        return nodes.Count == 0 ? null : string.Join(" — ", nodes);
    }
}
