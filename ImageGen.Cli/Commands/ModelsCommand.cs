using System.CommandLine;
using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Commands;

/// <summary><c>imagegen models</c>: every known model, with whether it can run here and why not.</summary>
public static class ModelsCommand
{
    public static Command Create(ModelRegistry registry, TextWriter stdout)
    {
        var json = new Option<bool>("--json") { Description = "Print the list as JSON." };
        var command = new Command("models", "List the image models and whether they are available.") { json };
        command.SetAction(async parse =>
        {
            var models = registry.List();
            if (parse.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(models, ProvidersJsonContext.Indented.IReadOnlyListModelInfo));
                return;
            }
            foreach (var model in models)
            {
                var state = model.Available ? "available" : $"unavailable: {model.UnavailableReason}";
                await stdout.WriteLineAsync($"{model.Id,-30} {state} ({Describe(model.Capabilities)})");
            }
        });
        return command;
    }

    /// <summary>What a model takes, in a few words: "images ≤16, source, mask, transparent, quality, seed" or "text only".</summary>
    public static string Describe(ModelCapabilities c)
    {
        var parts = new List<string> { c.TakesImages ? $"images ≤{c.MaxInputImages}" : "text only" };
        if (c.SourceImage)
        {
            parts.Add("source");
        }
        if (c.Mask)
        {
            parts.Add("mask");
        }
        if (c.Transparency)
        {
            parts.Add("transparent");
        }
        if (c.Qualities.Count > 0)
        {
            parts.Add("quality");
        }
        if (c.Seed)
        {
            parts.Add("seed");
        }
        return string.Join(", ", parts);
    }
}
