using CliWrap;
using CliWrap.Buffered;
using ImageGen.Testing;

namespace ImageGen.Cli.Tests;

/// <summary>Runs the built imagegen CLI as a child process, the way the worker does.</summary>
internal static class ImageGenProcess
{
    public static Task<BufferedCommandResult> RunAsync(params string[] arguments) => RunWithAsync(new Dictionary<string, string?>(), arguments);

    public static async Task<BufferedCommandResult> RunWithAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        await CliWrap.Cli.Wrap(RepoPaths.Cli)
            .WithArguments([.. arguments])
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(TestContext.Current.CancellationToken);
}
