using System.CommandLine;
using System.Diagnostics;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Providers;
using ImageGen.Core.Telemetry;

namespace ImageGen.Cli.Commands;

/// <summary><c>imagegen generate</c>: the contract the worker depends on (PRODUCT.md §3). Keep it stable.</summary>
public static class GenerateCommand
{
    public static Command Create(ModelRegistry registry, PriceTable prices, SecretRedactor redactor, TextWriter stdout, TextWriter stderr,
        int pngCompression = ImageEncoder.DefaultPngCompression)
    {
        var prompt = new Option<string?>("--prompt") { Description = "The prompt text." };
        var promptFile = new Option<FileInfo?>("--prompt-file") { Description = "Read the prompt from this UTF-8 file." };
        var model = new Option<string>("--model") { Description = "Model id, provider/model.", DefaultValueFactory = _ => ModelRegistry.DefaultModelId };
        var count = new Option<int>("--count") { Description = $"Number of images, 1–{GenerateRequest.MaxCount}.", DefaultValueFactory = _ => 1 };
        var size = new Option<string?>("--size") { Description = "WIDTHxHEIGHT in pixels (16–4096 a side). Default 1024x1024." };
        var aspectRatio = new Option<string?>("--aspect-ratio") { Description = "W:H, e.g. 16:9. Alone, gives a 1024 px long side." };
        var format = new Option<string>("--format") { Description = "png, jpeg or webp.", DefaultValueFactory = _ => ImageFormats.Png };
        format.AcceptOnlyFromAmong([.. ImageFormats.All, "jpg"]);
        var seed = new Option<long?>("--seed") { Description = "Seed of the first image; image i uses seed+i. Random when omitted." };
        var references = new Option<FileInfo[]>("--reference")
        {
            Description = $"A reference image (PNG, JPEG or WebP) to shape the result; repeat for several, up to the model's limit ({GenerateRequest.MaxReferences} at most).",
            AllowMultipleArgumentsPerToken = true,
        };
        var source = new Option<FileInfo?>("--source") { Description = "An image to start from (image-to-image), on models that take one." };
        var mask = new Option<FileInfo?>("--mask") { Description = "A PNG with alpha, the source's size: its transparent pixels mark what to change." };
        var background = new Option<string>("--background") { Description = "auto, transparent (PNG or WebP only) or opaque.", DefaultValueFactory = _ => Backgrounds.Auto };
        background.AcceptOnlyFromAmong([.. Backgrounds.All]);
        var quality = new Option<string>("--quality") { Description = "auto, low, medium or high, on models with a quality setting.", DefaultValueFactory = _ => Qualities.Auto };
        quality.AcceptOnlyFromAmong([.. Qualities.All]);
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the images and imagegen.json to.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the manifest (or an error) as JSON on stdout." };

        var command = new Command("generate", "Generate images from a prompt.")
        {
            prompt, promptFile, model, count, size, aspectRatio, format, seed, references, source, mask, background, quality, output, json,
        };
        command.Validators.Add(result =>
        {
            var hasPrompt = result.GetResult(prompt) is not null;
            var hasFile = result.GetResult(promptFile) is not null;
            if (hasPrompt == hasFile)
            {
                result.AddError("Give exactly one of --prompt or --prompt-file.");
            }
        });

        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(parse.GetValue(json), stdout, stderr, redactor, async () =>
        {
            // A child of the worker's run span when it passed TRACEPARENT; a trace of its own otherwise.
            using var activity = ImageGenTelemetry.Source.StartActivity("imagegen generate", ActivityKind.Internal,
                ImageGenTelemetry.ParseParent(Environment.GetEnvironmentVariable(ImageGenTelemetry.TraceParentVariable)));
            var text = parse.GetValue(promptFile) is { } file ? await ReadPromptFileAsync(file, cancellationToken) : parse.GetValue(prompt)!;
            var request = new GenerateRequest(
                text,
                parse.GetValue(model)!,
                parse.GetValue(count),
                ImageSize.Resolve(parse.GetValue(size), parse.GetValue(aspectRatio)),
                ImageFormats.Parse(parse.GetValue(format))!,
                parse.GetValue(seed))
            {
                ReferencePaths = [.. (parse.GetValue(references) ?? []).Select(f => f.FullName)],
                SourcePath = parse.GetValue(source)?.FullName,
                MaskPath = parse.GetValue(mask)?.FullName,
                Background = parse.GetValue(background)!,
                Quality = parse.GetValue(quality)!,
            };
            activity?.SetTag("imagegen.model", request.Model);
            activity?.SetTag("imagegen.count", request.Count);
            activity?.SetTag("imagegen.size", request.Size.ToString());
            activity?.SetTag("imagegen.format", request.Format);
            await stderr.WriteLineAsync($"imagegen: generating {request.Count} image(s) with {request.Model} at {request.Size} {request.Format}"
                + (request.ReferencePaths.Count > 0 ? $", {request.ReferencePaths.Count} reference(s)" : "")
                + (request.SourcePath is null ? "" : ", from a source image"));
            var manifest = await new ImageGenerator(registry, prices, pngCompression).GenerateAsync(request, parse.GetValue(output)!.FullName, cancellationToken);
            foreach (var image in manifest.Images)
            {
                await stderr.WriteLineAsync($"imagegen: wrote {image.Path} ({image.Bytes} bytes, {(image.Seed is { } s ? $"seed {s}" : "seed not supported")})");
            }
            if (manifest.Error is { } error)
            {
                // Part of the images arrived: they are written and listed; the run still failed, with the provider's words.
                manifest = manifest with { Error = error with { Message = redactor.Redact(error.Message) } };
                await stderr.WriteLineAsync($"imagegen: error: {manifest.Error.Message}");
            }
            await stdout.WriteLineAsync(parse.GetValue(json)
                ? manifest.ToJson()
                : string.Join(Environment.NewLine, manifest.Images.Select(i => i.Path)));
            return manifest.Error is null ? ExitCodes.Success : ExitCodes.Of(Enum.Parse<ErrorKind>(manifest.Error.Kind, ignoreCase: true));
        }, cancellationToken));
        return command;
    }

    private static async Task<string> ReadPromptFileAsync(FileInfo file, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ImageGenException.Usage($"Cannot read --prompt-file '{file.FullName}': {e.Message}");
        }
    }
}
