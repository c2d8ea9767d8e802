namespace ImageGen.Core.Storage;

public enum StorageTroubleKind
{
    /// <summary>No room to write: the disk is full, or the database reached its size cap.</summary>
    Full,

    /// <summary>Another connection held the database longer than the busy timeout.</summary>
    Busy,

    /// <summary>The database server could not be reached (PostgreSQL down, or the network to it).</summary>
    Unavailable,
}

/// <summary>
/// A write that failed for a reason outside ImageGen (a full disk, a database held by someone else), in the words a
/// person is shown: <see cref="Message"/> says what happened and that nothing was saved; <see cref="Cause"/> is the short
/// form for a run's reason. Anything else is not storage trouble and is left alone.
/// </summary>
public sealed record StorageTrouble(StorageTroubleKind Kind, string Message, string Cause)
{
    private const int Enospc = 28, ErrorDiskFull = 112, ErrorHandleDiskFull = 39;

    /// <summary>
    /// The trouble <paramref name="exception"/> (or one it wraps) stands for: a <see cref="StorageException"/> from a backend,
    /// or a file write that ran out of disk. Null for anything else.
    /// </summary>
    public static StorageTrouble? From(Exception exception) => exception switch
    {
        StorageException storage => storage.Trouble,
        IOException io when (io.HResult & 0xFFFF) is Enospc or ErrorDiskFull or ErrorHandleDiskFull => Full,
        _ when exception.InnerException is { } inner => From(inner),
        _ => null,
    };

    public static StorageTrouble Full { get; } = new(StorageTroubleKind.Full,
        "The disk is full: nothing was saved. Free some space on the drive that holds ImageGen's data folder, then try again.",
        "the disk is full");

    public static StorageTrouble Busy { get; } = new(StorageTroubleKind.Busy,
        "The database is busy (another program held it too long): nothing was saved. Try again in a moment.",
        "the database was busy: another program held it too long");

    public static StorageTrouble Unavailable { get; } = new(StorageTroubleKind.Unavailable,
        "The database server cannot be reached: nothing was saved. Check that it is running, then try again.",
        "the database server could not be reached");
}
