namespace ImageGen.Bench;

internal static class BenchPaths
{
    /// <summary>The repository root: the folder holding ImageGen.sln, found upward from the running bench.</summary>
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ImageGen.sln")))
            {
                directory = directory.Parent;
            }
            return directory?.FullName ?? throw new InvalidOperationException("Run the bench from inside the repository.");
        }
    }

    public static string Configuration => AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Dll(string projectFolder, string name) =>
        Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", $"{name}.dll");

    public static string NewDataDirectory(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "imagegen-bench", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
