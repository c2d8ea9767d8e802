using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace ImageGen.Worker.Cli;

public sealed record CliOutcome(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs the CLI as a child process through CliWrap. Cancelling the token kills the process and its children,
/// so a cancel, a timeout or a lost lease never leaves a CLI running.
/// </summary>
public sealed class CliInvoker(CliLocator locator)
{
    /// <param name="environment">Variables set for the child on top of the worker's own (null removes one).</param>
    public async Task<CliOutcome> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var command = locator.Command;
        var result = await CliWrap.Cli.Wrap(command.FileName)
            .WithArguments([.. command.PrefixArguments, .. arguments])
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, Encoding.UTF8, cancellationToken);
        return new CliOutcome(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
