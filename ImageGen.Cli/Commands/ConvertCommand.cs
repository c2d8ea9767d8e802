using System.CommandLine;
using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Commands;

/// <summary>
/// <c>imagegen convert INPUT... --to FORMAT [--quality Q] [--max-size N] --out DIR</c>. Each input converts on its
/// own: a bad one is reported and the rest still convert; the exit code is 2 when any input failed.
/// </summary>
public static class ConvertCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        // jpeg, webp and avif take --quality; png ignores it.
        var inputs = new Argument<string[]>("INPUT") { Description = "Image files to convert.", Arity = ArgumentArity.OneOrMore };
        var to = new Option<string>("--to") { Description = "png, jpeg, webp or avif.", Required = true };
        to.AcceptOnlyFromAmong([.. ImageFormats.ConvertTargets, "jpg"]);
        var quality = new Option<int?>("--quality") { Description = $"{ImageConverter.MinQuality}–{ImageConverter.MaxQuality}, for jpeg and webp." };
        var maxSize = new Option<int?>("--max-size") { Description = "Shrink to fit an N×N box (never enlarges)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write to.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("convert", "Convert images to png, jpeg or webp.") { inputs, to, quality, maxSize, output, json };
        command.Validators.Add(result =>
        {
            if (result.GetValue(quality) is { } q && q is < ImageConverter.MinQuality or > ImageConverter.MaxQuality)
            {
                result.AddError($"--quality {q} is out of range: {ImageConverter.MinQuality}–{ImageConverter.MaxQuality}.");
            }
            if (result.GetValue(maxSize) is { } m && m is < ImageSize.MinSide or > ImageConverter.MaxBox)
            {
                result.AddError($"--max-size {m} is out of range: {ImageSize.MinSide}–{ImageConverter.MaxBox}.");
            }
        });

        command.SetAction(async parse =>
        {
            var format = parse.GetValue(to) == ImageFormats.Avif ? ImageFormats.Avif : ImageFormats.Parse(parse.GetValue(to))!;
            var converted = new List<ConvertedImage>();
            var failed = new List<ConvertFailure>();
            foreach (var input in parse.GetValue(inputs)!)
            {
                try
                {
                    var result = ImageConverter.Convert(Path.GetFullPath(input), parse.GetValue(output)!.FullName, format, parse.GetValue(quality), parse.GetValue(maxSize));
                    converted.Add(result);
                    await stderr.WriteLineAsync($"imagegen: wrote {result.Path} ({result.Width}x{result.Height}, {result.Bytes} bytes)");
                }
                catch (ImageGenException e)
                {
                    failed.Add(new ConvertFailure(input, e.Message));
                    await stderr.WriteLineAsync($"imagegen: error: {e.Message}");
                }
            }
            await stdout.WriteLineAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(new ConvertReport(converted, failed), ImagingJsonContext.Indented.ConvertReport)
                : string.Join(Environment.NewLine, converted.Select(c => c.Path)));
            return failed.Count == 0 ? ExitCodes.Success : ExitCodes.Usage;
        });
        return command;
    }
}
