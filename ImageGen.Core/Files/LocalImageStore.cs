namespace ImageGen.Core.Files;

/// <summary>
/// Images in the data folder (<see cref="DataRoot.ImagesDir"/>), on a disk every process that runs ImageGen can see: one
/// machine, or several that mount the same share (docs/ARCHITECTURE.md, "Several machines").
/// </summary>
public sealed class LocalImageStore(DataRoot root) : IImageStore
{
    public string RunFolder(RunPlace place) => root.RunFolder(place.ProjectSlug, place.WorkItemSlug, place.RunId);

    public IReadOnlyDictionary<string, string> Commit(string localFolder, RunPlace place)
    {
        var destination = RunFolder(place);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        Delete(place);
        Directory.Move(localFolder, destination);
        return Directory.EnumerateFiles(destination, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(destination, f).Replace(Path.DirectorySeparatorChar, '/'), root.ToRelative, StringComparer.Ordinal);
    }

    public void Delete(RunPlace place)
    {
        var folder = RunFolder(place);
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: nothing serves a run's files once its row says it did not succeed.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public string? LocalFile(string key) => root.ResolveRelative(key) is { } path && File.Exists(path) ? path : null;

    public string ScratchFolder(long jobId, string claimToken) => Path.Combine(root.TempDir, $"job-{jobId}-{claimToken[..Math.Min(8, claimToken.Length)]}");
}
