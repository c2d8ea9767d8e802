using System.CommandLine;
using System.Text.Json;
using ImageGen.Core.Generation;

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
                await stdout.WriteLineAsync(JsonSerializer.Serialize(models, Json.Indented));
                return;
            }
            foreach (var model in models)
            {
                var state = model.Available ? "available" : $"unavailable: {model.UnavailableReason}";
                await stdout.WriteLineAsync($"{model.Id,-28} {state}");
            }
        });
        return command;
    }
}
