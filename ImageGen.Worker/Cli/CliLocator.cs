using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace ImageGen.Worker.Cli;

/// <summary>How to start the CLI: the program and the arguments that come before the command's own.</summary>
public sealed record CliCommand(string FileName, IReadOnlyList<string> PrefixArguments);

/// <summary>
/// Finds the imagegen CLI this worker was built with: <c>cli/imagegen</c> under the worker's output, published there
/// by build/ImageGenCli.targets (Native AOT, or ReadyToRun without a C toolchain; true under <c>dotnet run</c> of the
/// AppHost and in tests). A <c>.dll</c> is run with the same dotnet host.
/// <c>Worker:CliPath</c> points elsewhere (tests use it for scripted stand-ins).
/// </summary>
public sealed class CliLocator(IOptions<WorkerOptions> options)
{
    private readonly Lazy<CliCommand> _command = new(() => Locate(options.Value.CliPath));

    public CliCommand Command => _command.Value;

    /// <summary>
    /// The published CLI beside the worker: <c>cli/imagegen</c> (Native AOT, or ReadyToRun's app host), else
    /// <c>cli/imagegen.dll</c> (an older build layout), run with dotnet.
    /// </summary>
    public static string DefaultPath =>
        Path.Combine(AppContext.BaseDirectory, "cli", OperatingSystem.IsWindows() ? "imagegen.exe" : "imagegen") is var native && File.Exists(native)
            ? native
            : Path.Combine(AppContext.BaseDirectory, "cli", "imagegen.dll");

    public static CliCommand Locate(string? configuredPath)
    {
        var path = string.IsNullOrWhiteSpace(configuredPath)
            ? DefaultPath
            : Path.GetFullPath(configuredPath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The imagegen CLI was not found at '{path}'. Build the solution, or set Worker:CliPath.", path);
        }
        return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new CliCommand(DotnetHost(), [path])
            : new CliCommand(path, []);
    }

    /// <summary>The dotnet host of the runtime this worker runs on (…/dotnet beside shared/Microsoft.NETCore.App/x.y.z).</summary>
    private static string DotnetHost()
    {
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        var candidate = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "..",
            OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
