using System.Diagnostics;
using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Cli;

/// <summary>
/// Turns the outcome of a command into its exit code and a message on stderr (and stdout with --json). Every failure
/// ends with one human sentence, never a stack trace, and every message passes through the <see cref="SecretRedactor"/>
/// first: a provider or proxy that echoes the key in its error text does not get it into the worker's records.
/// </summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(bool json, TextWriter stdout, TextWriter stderr, SecretRedactor redactor, Func<Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            // The action's own exit code: a generate that kept part of its images has printed them and says why it failed.
            return await action();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("imagegen: canceled");
            return ExitCodes.Canceled;
        }
        catch (ImageGenException e)
        {
            return await FailAsync(e.Kind, e.Message, e.RetryAfter, e.ExitCode);
        }
        catch (IOException e)
        {
            // Disk full, a folder that cannot be created: worth another try on the worker's side.
            return await FailAsync(ErrorKind.Transient, $"A file could not be written: {e.Message}", null, ExitCodes.Transient);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug or an answer nobody foresaw: still one sentence, with the exception's type for whoever reads the logs.
            return await FailAsync(ErrorKind.Transient, $"imagegen failed unexpectedly ({e.GetType().Name}): {FirstLine(e.Message)}", null, ExitCodes.Transient);
        }

        async Task<int> FailAsync(ErrorKind kind, string message, TimeSpan? retryAfter, int exitCode)
        {
            message = redactor.Redact(message);
            Activity.Current?.SetStatus(ActivityStatusCode.Error, message);
            await stderr.WriteLineAsync($"imagegen: error: {message}");
            if (json)
            {
                await stdout.WriteLineAsync(new CliError(kind.ToString().ToLowerInvariant(), message, retryAfter?.TotalSeconds).ToJson());
            }
            return exitCode;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
