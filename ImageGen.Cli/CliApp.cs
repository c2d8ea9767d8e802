using System.CommandLine;
using ImageGen.Cli.Commands;
using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Cli;

/// <summary>
/// The <c>imagegen</c> command line. Exit codes (see <see cref="ExitCodes"/>): 0 success, 2 usage error,
/// 3 permanent provider error, 4 transient error, 5 worker gone (<see cref="WorkerWatch"/>), 130 canceled.
/// Results go to stdout, diagnostics to stderr.
/// </summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ProviderSettings settings;
        PriceTable prices;
        try
        {
            settings = ProviderSettings.FromEnvironment();
            prices = PriceTable.FromEnvironment();
        }
        catch (ImageGenException e)
        {
            await stderr.WriteLineAsync($"imagegen: error: {e.Message}");
            if (args.Contains("--json"))
            {
                await stdout.WriteLineAsync(new CliError("usage", e.Message).ToJson());
            }
            return ExitCodes.Usage;
        }
        var registry = ModelRegistry.CreateDefault(settings, prices: prices);
        var redactor = SecretRedactor.For(settings);
        var root = new RootCommand("imagegen: generate brand-consistent images from the command line.")
        {
            GenerateCommand.Create(registry, prices, redactor, stdout, stderr, settings.PngCompression),
            ConvertCommand.Create(stdout, stderr),
            ModelsCommand.Create(registry, stdout),
            DbCommand.Create(stdout, stderr),
        };

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await stderr.WriteLineAsync($"imagegen: error: {error.Message}");
            }
            if (args.Contains("--json"))
            {
                await stdout.WriteLineAsync(new CliError("usage", string.Join(" ", parseResult.Errors.Select(e => e.Message))).ToJson());
            }
            return ExitCodes.Usage;
        }
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        return await parseResult.InvokeAsync(configuration);
    }
}
