using System.Reflection;

namespace ImageGen.Testing;

/// <summary>Where the built projects are, so tests can start them as real processes.</summary>
public static class RepoPaths
{
    private static string Metadata(string key) =>
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string Root => Metadata("RepoRoot");

    public static string Configuration => Metadata("Configuration");

    /// <summary>The main dll of a project built in this configuration, e.g. ImageGen.Worker/bin/Debug/net10.0/ImageGen.Worker.dll.</summary>
    public static string ProjectDll(string project, string? assemblyName = null, string? folder = null)
    {
        var path = System.IO.Path.Combine(folder ?? System.IO.Path.Combine(Root, project), "bin", Configuration, "net10.0", $"{assemblyName ?? project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first: {path} is missing.", path);
    }

    /// <summary>
    /// The imagegen CLI published beside this test assembly by build/ImageGenCli.targets: the same binary (Native AOT or
    /// ReadyToRun) the worker runs.
    /// </summary>
    public static string Cli => System.IO.Path.Combine(AppContext.BaseDirectory, "cli", OperatingSystem.IsWindows() ? "imagegen.exe" : "imagegen");

    /// <summary>How that CLI was published: "aot" or "r2r".</summary>
    public static string CliPublishMode => File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "cli", "publish-mode.txt")).Trim();

    public static string DotnetHost
    {
        get
        {
            var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(
                System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
            return File.Exists(candidate) ? candidate : "dotnet";
        }
    }
}
