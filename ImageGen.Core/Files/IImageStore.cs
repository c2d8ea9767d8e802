namespace ImageGen.Core.Files;

/// <summary>Where one run's files live: <c>images/&lt;project&gt;/&lt;item&gt;/run-&lt;id&gt;/</c> in the data folder today.</summary>
public sealed record RunPlace(string ProjectSlug, string WorkItemSlug, long RunId)
{
    /// <summary>The place of a run whose job has no work item (the CLI's own tests, benchmarks): still tidy.</summary>
    public static RunPlace Unfiled(long jobId, long runId) => new("unfiled", $"job-{jobId}", runId);
}

/// <summary>
/// Where candidates are kept once a run is recorded. Every process that reads or writes images goes through the data folder
/// today (<see cref="LocalImageStore"/>); this is the seam an object store would fill. The CLI always writes to a local
/// scratch folder first, so committing is one move (or, for an object store, one upload) of a finished folder.
/// </summary>
public interface IImageStore
{
    /// <summary>
    /// Moves the finished <paramref name="localFolder"/> into <paramref name="place"/> as one step, replacing any leftover there.
    /// Returns how each of the folder's files is named in the database (a key relative to the data folder).
    /// </summary>
    IReadOnlyDictionary<string, string> Commit(string localFolder, RunPlace place);

    /// <summary>Removes a run's files; a run that has none is fine. Best effort: never throws for a file that will not go.</summary>
    void Delete(RunPlace place);

    /// <summary>
    /// A local file holding the stored file <paramref name="key"/> (a candidate or an asset, as the database names it), for
    /// the CLI to read; null when it is missing or would lie outside the store.
    /// </summary>
    string? LocalFile(string key);

    /// <summary>A local scratch folder for one attempt, named so the temporary-folder sweep can tell whose it is.</summary>
    string ScratchFolder(long jobId, string claimToken);
}
