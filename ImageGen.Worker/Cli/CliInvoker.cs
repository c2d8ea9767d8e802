using System.Text;
using System.Threading.Channels;
using CliWrap;
using CliWrap.Buffered;

namespace ImageGen.Worker.Cli;

public sealed record CliOutcome(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// The worker's side of <see cref="Core.ImageGen.Core.Spec.CliHeartbeat"/>: <see cref="Beat"/> after each lease renewal writes the
/// moment the renewal started (<see cref="Environment.TickCount64"/>, one monotonic clock for the whole machine) as a
/// line on the CLI's standard input, so a beat the CLI reads late still counts from when the lease was renewed. The
/// pipe's write end lives only in this process, so when the worker dies the CLI reads end of input and stops at once.
/// </summary>
public sealed class HeartbeatPipe
{
    private readonly Channel<long> _beats = Channel.CreateBounded<long>(new BoundedChannelOptions(4) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <param name="renewedAtTick">When the renewal that this beat reports started.</param>
    public void Beat(long renewedAtTick) => _beats.Writer.TryWrite(renewedAtTick);

    internal PipeSource Source => PipeSource.Create(async (stdin, cancellationToken) =>
    {
        try
        {
            await foreach (var tick in _beats.Reader.ReadAllAsync(cancellationToken))
            {
                await stdin.WriteAsync(System.Text.Encoding.ASCII.GetBytes(tick.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"), cancellationToken);
                await stdin.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The CLI exited (a broken pipe) or CliWrap is done with its input.
        }
    });
}

/// <summary>
/// Runs the CLI as a child process through CliWrap. Cancelling the token kills the process and its children,
/// so a cancel, a timeout or a lost lease never leaves a CLI running; <see cref="HeartbeatPipe"/> covers the worker
/// itself dying or freezing.
/// </summary>
public sealed class CliInvoker(CliLocator locator)
{
    /// <param name="environment">Variables set for the child on top of the worker's own (null removes one).</param>
    /// <param name="heartbeat">Heartbeats for the child's standard input; without one its input is empty.</param>
    public async Task<CliOutcome> RunAsync(
        IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment, HeartbeatPipe? heartbeat, CancellationToken cancellationToken)
    {
        var command = locator.Command;
        var result = await CliWrap.Cli.Wrap(command.FileName)
            .WithArguments([.. command.PrefixArguments, .. arguments])
            .WithEnvironmentVariables(environment)
            .WithStandardInputPipe(heartbeat?.Source ?? PipeSource.Null)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, Encoding.UTF8, cancellationToken);
        return new CliOutcome(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
