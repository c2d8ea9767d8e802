using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ImageGen.AppHost;

/// <summary>
/// A PostgreSQL server that the AppHost runs itself, without Docker: an executable resource over the binaries of the Debian
/// <c>postgresql</c> package, on a loopback port, with its data in a folder that outlives restarts. It shows in the dashboard
/// like any resource, reports healthy once it accepts connections, and gives its connection string to whoever references it.
/// </summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, int port)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string User = "imagegen";
    public const string DatabaseName = "imagegen";

    public int Port { get; } = port;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={Port.ToString(System.Globalization.CultureInfo.InvariantCulture)};Username={User};Database={DatabaseName}");
}

internal static class LocalPostgres
{
    /// <summary>
    /// Adds the server. Its cluster is made on first use with <c>initdb</c> (trust authentication, listening on loopback only).
    /// As root, the server runs as the package's <c>postgres</c> user (PostgreSQL refuses root) with its data under
    /// <c>/var/lib/imagegen</c>, which that user can reach; otherwise under <c>&lt;data folder&gt;/postgres</c>.
    /// </summary>
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "--Parameters:store=postgres needs PostgreSQL's server programs (Debian: `sudo bash build/install-postgresql.sh`), "
            + "or a running server: set ConnectionStrings:imagegen to it.");
        var asRoot = Environment.UserName == "root";
        var cluster = builder.Configuration["Parameters:postgres-data"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : asRoot
                ? Path.Combine("/var/lib/imagegen", $"postgres-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory)))[..12]}")
                : Path.Combine(dataDirectory, "postgres");
        InitializeCluster(bin, cluster, asRoot);

        var port = int.TryParse(builder.Configuration["Parameters:postgres-port"], out var fixedPort) ? fixedPort : FreePort();
        var postgres = Path.Combine(bin, "postgres");
        string[] serverArguments = ["-D", cluster, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", cluster, "-c", "listen_addresses=127.0.0.1"];
        var resource = asRoot
            ? new LocalPostgresResource(name, "runuser", "/", port)
            : new LocalPostgresResource(name, postgres, cluster, port);
        var healthCheck = $"{name}-accepts-connections";
        var connectionString = $"Host=127.0.0.1;Port={port};Username={LocalPostgresResource.User};Database=postgres;Timeout=3;Pooling=false";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL on port {port} does not accept connections yet: {e.Message}");
            }
        });
        return builder.AddResource(resource)
            .WithArgs(asRoot ? ["-u", "postgres", "--", postgres, .. serverArguments] : serverArguments)
            .WithHealthCheck(healthCheck);
    }

    private static void InitializeCluster(string bin, string cluster, bool asRoot)
    {
        if (File.Exists(Path.Combine(cluster, "PG_VERSION")))
        {
            return;
        }
        Directory.CreateDirectory(cluster);
        if (asRoot)
        {
            Run("chown", ["-R", "postgres:postgres", cluster]);
        }
        string[] initdb = [Path.Combine(bin, "initdb"), "-D", cluster, "-U", LocalPostgresResource.User, "-A", "trust", "-E", "UTF8", "--locale=C"];
        if (asRoot)
        {
            Run("runuser", ["-u", "postgres", "--", .. initdb]);
        }
        else
        {
            Run(initdb[0], initdb[1..]);
        }
    }

    private static void Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {error.Result}");
        }
    }

    /// <summary>The Debian package's newest server binaries, or <c>IMAGEGEN_PG_BIN</c>.</summary>
    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("IMAGEGEN_PG_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "postgres")) ? configured : null;
        }
        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian).Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "postgres")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
