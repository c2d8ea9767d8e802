using System.Diagnostics;
using ImageGen.Core.Generation;

namespace ImageGen.Cli;

/// <summary>Turns the outcome of a command into its exit code and a message on stderr (and stdout with --json).</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(bool json, TextWriter stdout, TextWriter stderr, Func<Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action();
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("imagegen: canceled");
            return ExitCodes.Canceled;
        }
        catch (ImageGenException e)
        {
            Activity.Current?.SetStatus(ActivityStatusCode.Error, e.Message);
            await stderr.WriteLineAsync($"imagegen: error: {e.Message}");
            if (json)
            {
                await stdout.WriteLineAsync(new CliError(e.Kind.ToString().ToLowerInvariant(), e.Message, e.RetryAfter?.TotalSeconds).ToJson());
            }
            return e.ExitCode;
        }
        catch (IOException e)
        {
            // Disk full, a folder that cannot be created: worth another try on the worker's side.
            await stderr.WriteLineAsync($"imagegen: error: {e.Message}");
            if (json)
            {
                await stdout.WriteLineAsync(new CliError("transient", e.Message).ToJson());
            }
            return ExitCodes.Transient;
        }
    }
}
