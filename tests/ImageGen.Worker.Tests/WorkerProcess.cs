using System.Diagnostics;
using ImageGen.Testing;

namespace ImageGen.Worker.Tests;

/// <summary>The built worker started as its own OS process, so a test can kill it with SIGKILL.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private readonly System.Text.StringBuilder _output = new();

    private WorkerProcess(Process process) => _process = process;

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

    public static WorkerProcess Start(string dataDirectory, IDictionary<string, string> settings)
    {
        var info = new ProcessStartInfo(RepoPaths.DotnetHost)
        {
            ArgumentList = { RepoPaths.ProjectDll("ImageGen.Worker") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ImageGen__DataDir"] = dataDirectory;
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(info)!;
        var worker = new WorkerProcess(process);
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
