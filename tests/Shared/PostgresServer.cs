using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImageGen.Testing;

/// <summary>
/// A real PostgreSQL server for the tests, started from the Debian <c>postgresql</c> package's binaries (<c>initdb</c> and
/// <c>pg_ctl</c>) into a temporary folder on a free loopback port, once per test process, and stopped when it exits. Each
/// test takes a database of its own (<see cref="CreateDatabaseAsync"/>). Never mocked and never skipped: without the
/// binaries the tests fail saying how to install them (<c>bash build/install-postgresql.sh</c>, which .ci/run calls).
/// As root (CI, containers) the server runs as the package's <c>postgres</c> user, since PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresServer
{
    private const string User = "imagegen";
    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(StartAsync);
    private static int _databases;

    private readonly string _bin;
    private readonly string _dataDirectory;
    private readonly bool _asPostgresUser;

    private PostgresServer(string bin, string folder, int port, bool asPostgresUser)
    {
        _bin = bin;
        Folder = folder;
        _dataDirectory = Path.Combine(folder, "data");
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public static Task<PostgresServer> SharedAsync() => SharedServer.Value;

    public string Folder { get; }

    public int Port { get; }

    /// <summary>A connection string to <paramref name="database"/> on this server (trust authentication, loopback only).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Pooling=true;Maximum Pool Size=20;Timeout=15";

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..6]}";
        await RunAsync(Path.Combine(_bin, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", User, name], asServerUser: false);
        return ConnectionString(name);
    }

    /// <summary>Where the Debian package puts the server's programs (the newest version), or <c>IMAGEGEN_PG_BIN</c>.</summary>
    public static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("IMAGEGEN_PG_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "pg_ctl")) ? configured : null;
        }
        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian).Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed: the PostgreSQL tests start a real server from its binaries (/usr/lib/postgresql/<version>/bin). "
            + "Install it with `sudo bash build/install-postgresql.sh` (Debian's postgresql package), or set IMAGEGEN_PG_BIN.");
        var asPostgresUser = IsRoot();
        var folder = Path.Combine(Path.GetTempPath(), "imagegen-tests", $"pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        if (asPostgresUser)
        {
            await RunAsync("chown", ["postgres:postgres", folder], asServerUser: false);
        }
        var server = new PostgresServer(bin, folder, FreePort(), asPostgresUser);
        await server.RunServerToolAsync("initdb", ["-D", server._dataDirectory, "-U", User, "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"]);
        var options = string.Join(' ',
            $"-p {server.Port}", $"-k {folder}", "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c synchronous_commit=off",
            "-c full_page_writes=off", "-c max_connections=200", "-c shared_buffers=64MB");
        await server.RunServerToolAsync("pg_ctl", ["-D", server._dataDirectory, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private void Stop()
    {
        try
        {
            RunServerToolAsync("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"]).GetAwaiter().GetResult();
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // The process is ending; a leftover temporary folder is all that can remain.
        }
    }

    private Task RunServerToolAsync(string tool, string[] arguments) =>
        _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments], asServerUser: true)
            : RunAsync(Path.Combine(_bin, tool), arguments, asServerUser: true);

    private static async Task RunAsync(string program, string[] arguments, bool asServerUser)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        if (asServerUser)
        {
            start.WorkingDirectory = Path.GetTempPath(); // runuser's user may not read the current folder
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool IsRoot() => OperatingSystem.IsLinux() && Environment.UserName == "root";
}
