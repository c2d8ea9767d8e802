using System.Diagnostics;

namespace ImageGen.Worker.Tests;

/// <summary>
/// Scripted stand-ins for the imagegen CLI, written as bash scripts, so tests can make the child process
/// fail, hang or crash on purpose. Each records its pid (and its child's) in <see cref="PidFile"/>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class FakeCli
{
    private FakeCli(string path, string pidFile)
    {
        Path = path;
        PidFile = pidFile;
    }

    public string Path { get; }
    public string PidFile { get; }

    private const string ParseOut = """
        OUT=""
        while [ $# -gt 0 ]; do if [ "$1" = "--out" ]; then OUT="$2"; fi; shift; done
        """;

    /// <summary>Writes a partial file into --out, then exits with <paramref name="exitCode"/> and a message.</summary>
    public static FakeCli Failing(string directory, int exitCode, string message, string? jsonError = null) =>
        Write(directory, $"""
            {ParseOut}
            mkdir -p "$OUT" && echo partial > "$OUT/01-seed1.png"
            {(jsonError is null ? "" : $"echo '{jsonError}'")}
            echo "imagegen: error: {message}" >&2
            exit {exitCode}
            """);

    /// <summary>Says what it is doing, as the real CLI does, then is killed by SIGKILL (as by the OOM killer).</summary>
    public static FakeCli KilledBySignal(string directory) =>
        Write(directory, """
            echo "imagegen: generating 3 image(s) with offline/procedural at 256x128 png" >&2
            kill -9 $$
            """);

    /// <summary>Starts a child <c>sleep</c> and waits on it: a CLI that hangs.</summary>
    public static FakeCli Hanging(string directory) =>
        Write(directory, """
            sleep 120 &
            echo "$$ $!" > "$PIDFILE"
            wait
            """);

    /// <summary>Writes the environment it was started with to <paramref name="file"/> (NUL-separated, as <c>env -0</c>), then fails with <paramref name="exitCode"/>.</summary>
    public static FakeCli DumpingEnvironment(string directory, string file, int exitCode) =>
        Write(directory, $"""
            env -0 > "{file}"
            echo "imagegen: error: the environment was written down" >&2
            exit {exitCode}
            """);

    private static FakeCli Write(string directory, string body)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, $"fake-imagegen-{Guid.NewGuid():N}.sh");
        var pidFile = path + ".pid";
        File.WriteAllText(path, $"#!/usr/bin/env bash\nPIDFILE=\"{pidFile}\"\necho \"$$\" > \"$PIDFILE\"\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new FakeCli(path, pidFile);
    }

    /// <summary>The pids the script recorded (itself, and its child once started).</summary>
    public IReadOnlyList<int> Pids =>
        File.Exists(PidFile)
            ? File.ReadAllText(PidFile).Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList()
            : [];

    /// <summary>True while the process exists and has not exited (a zombie awaiting its parent counts as gone).</summary>
    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void KillLeftovers()
    {
        foreach (var pid in Pids.Where(IsAlive))
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
        }
    }
}
