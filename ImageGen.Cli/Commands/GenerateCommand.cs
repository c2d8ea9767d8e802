using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Providers;
using ImageGen.Core.Telemetry;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Commands;

/// <summary><c>imagegen generate</c>: the contract the worker depends on (PRODUCT.md §3). Keep it stable.</summary>
public static class GenerateCommand
{
    public static Command Create(ModelRegistry registry, PriceTable prices, SecretRedactor redactor, TextWriter stdout, TextWriter stderr,
        int pngCompression = ImageEncoder.DefaultPngCompression)
    {
        var spec = new Option<FileInfo?>("--spec")
        {
            Description = "Run the job spec in this JSON file (what the worker passes; docs/ARCHITECTURE.md, \"The job spec\"). "
                + "Relative input paths in it are read from the file's folder. No other option but --out and --json goes with it.",
        };
        var prompt = new Option<string?>("--prompt") { Description = "The prompt text." };
        var promptFile = new Option<FileInfo?>("--prompt-file") { Description = "Read the prompt from this UTF-8 file." };
        var model = new Option<string>("--model") { Description = "Model id, provider/model.", DefaultValueFactory = _ => ModelRegistry.DefaultModelId };
        var count = new Option<int>("--count") { Description = $"Number of images, 1–{JobSpec.MaxCount}.", DefaultValueFactory = _ => 1 };
        var size = new Option<string?>("--size") { Description = "WIDTHxHEIGHT in pixels (16–4096 a side). Default 1024x1024." };
        var aspectRatio = new Option<string?>("--aspect-ratio") { Description = "W:H, e.g. 16:9. Alone, gives a 1024 px long side." };
        var format = new Option<string>("--format") { Description = "png, jpeg or webp.", DefaultValueFactory = _ => ImageFormats.Png };
        format.AcceptOnlyFromAmong([.. ImageFormats.All, "jpg"]);
        var seed = new Option<long?>("--seed") { Description = "Seed of the first image; image i uses seed+i. Random when omitted." };
        var references = new Option<FileInfo[]>("--reference")
        {
            Description = $"A reference image (PNG, JPEG or WebP) to shape the result; repeat for several, up to the model's limit ({JobSpec.MaxReferences} at most).",
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
            spec, prompt, promptFile, model, count, size, aspectRatio, format, seed, references, source, mask, background, quality, output, json,
        };
        Option[] specOptions = [prompt, promptFile, model, count, size, aspectRatio, format, seed, references, source, mask, background, quality];
        command.Validators.Add(result =>
        {
            if (result.GetResult(spec) is not null)
            {
                // The spec says everything: a flag beside it would be one of two answers to the same question.
                var beside = specOptions.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
                if (beside.Count > 0)
                {
                    result.AddError($"--spec says everything about the job; leave out {string.Join(", ", beside)}.");
                }
                return;
            }
            var hasPrompt = result.GetResult(prompt) is not null;
            var hasFile = result.GetResult(promptFile) is not null;
            if (hasPrompt == hasFile)
            {
                result.AddError("Give exactly one of --prompt, --prompt-file or --spec.");
            }
        });

        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(parse.GetValue(json), stdout, stderr, redactor, async () =>
        {
            // A child of the worker's run span when it passed TRACEPARENT; a trace of its own otherwise.
            using var activity = ImageGenTelemetry.Source.StartActivity("imagegen generate", ActivityKind.Internal,
                ImageGenTelemetry.ParseParent(Environment.GetEnvironmentVariable(ImageGenTelemetry.TraceParentVariable)));
            var (job, inputFolder) = parse.GetValue(spec) is { } specFile
                ? (await ReadSpecAsync(specFile, cancellationToken), specFile.DirectoryName)
                : (new JobSpec
                {
                    // The flags make the same document the worker writes, so both run one path.
                    Prompt = parse.GetValue(promptFile) is { } file ? await ReadPromptFileAsync(file, cancellationToken) : parse.GetValue(prompt)!,
                    Model = parse.GetValue(model)!,
                    Count = parse.GetValue(count),
                    Size = parse.GetValue(size),
                    AspectRatio = parse.GetValue(aspectRatio),
                    Format = ImageFormats.Parse(parse.GetValue(format))!,
                    Seed = parse.GetValue(seed),
                    References = parse.GetValue(references) is { Length: > 0 } files ? [.. files.Select(f => InputFile.Unpinned(f.FullName))] : null,
                    Source = parse.GetValue(source) is { } sourceFile ? InputFile.Unpinned(sourceFile.FullName) : null,
                    Mask = parse.GetValue(mask) is { } maskFile ? InputFile.Unpinned(maskFile.FullName) : null,
                    Background = parse.GetValue(background)!,
                    Quality = parse.GetValue(quality)!,
                }, null);
            activity?.SetTag("imagegen.model", job.Model);
            activity?.SetTag("imagegen.count", job.Count);
            activity?.SetTag("imagegen.size", job.Size ?? job.AspectRatio ?? "default");
            activity?.SetTag("imagegen.format", job.Format);
            await stderr.WriteLineAsync($"imagegen: generating {job.Count} image(s) with {job.Model}"
                + ((job.Size ?? job.AspectRatio) is { } shape ? $" at {shape}" : "") + $" {job.Format}"
                + (job.References is { Count: > 0 } refs ? $", {refs.Count} reference(s)" : "")
                + (job.Source is null ? "" : ", from a source image"));
            var manifest = await new ImageGenerator(registry, prices, pngCompression).GenerateAsync(job, parse.GetValue(output)!.FullName, cancellationToken, inputFolder);
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

    /// <summary>A spec file: its JSON read as any stored version; a file that cannot be read or parsed is a usage error naming it.</summary>
    private static async Task<JobSpec> ReadSpecAsync(FileInfo file, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            if (file.Exists && file.Length > MaxSpecBytes)
            {
                throw ImageGenException.Usage($"--spec '{file.FullName}' is {file.Length} bytes; a spec is at most {MaxSpecBytes} bytes.");
            }
            json = await File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ImageGenException.Usage($"Cannot read --spec '{file.FullName}': {e.Message}");
        }
        try
        {
            return JobSpec.Parse(json);
        }
        catch (JsonException e)
        {
            throw ImageGenException.Usage($"--spec '{file.FullName}' is not a job spec: {e.Message}");
        }
    }

    /// <summary>A spec is a prompt (32,000 characters at most) and a few settings; anything near 1 MiB is not one.</summary>
    private const long MaxSpecBytes = 1024 * 1024;

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
