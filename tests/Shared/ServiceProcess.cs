using System.Diagnostics;

namespace ImageGen.Testing;

/// <summary>A built ImageGen service (the worker, the web app) started as its own OS process, so a test can kill
/// it with SIGKILL, freeze it with SIGSTOP, or start it from a folder of its choosing.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    private readonly System.Text.StringBuilder _output = new();

    private ServiceProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the worker wrote to stdout and stderr so far (its logs).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The worker, on a port of its own choosing unless <c>ASPNETCORE_URLS</c> is among the settings.</summary>
    public static ServiceProcess StartWorker(string dataDirectory, IDictionary<string, string> settings, string? workingDirectory = null) =>
        Start("ImageGen.Worker", dataDirectory, settings, workingDirectory);

    public static ServiceProcess Start(string project, string dataDirectory, IDictionary<string, string> settings, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(RepoPaths.DotnetHost)
        {
            ArgumentList = { RepoPaths.ProjectDll(project) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        info.Environment["ImageGen__DataDir"] = dataDirectory;
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(info)!;
        var worker = new ServiceProcess(process);
        // Keep the logs (and drain the pipes, so the worker never blocks on a full buffer).
        void Append(object? _, DataReceivedEventArgs e)
        {
            lock (worker._output)
            {
                worker._output.AppendLine(e.Data);
            }
        }
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>SIGKILL: no shutdown hooks, no release, nothing written.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>SIGSTOP / SIGCONT: the process stays, but runs no code (a frozen VM, a debugger, swap death).</summary>
    public void Freeze() => Signal("STOP");

    public void Thaw() => Signal("CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
