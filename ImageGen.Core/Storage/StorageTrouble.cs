using Microsoft.Data.Sqlite;

namespace ImageGen.Core.Storage;

public enum StorageTroubleKind
{
    /// <summary>No room to write: the disk is full, or the database reached its size cap.</summary>
    Full,

    /// <summary>Another connection held the database longer than the busy timeout.</summary>
    Busy,
}

/// <summary>
/// A write that failed for a reason outside ImageGen (a full disk, a database held by someone else), in the words a
/// person is shown: <see cref="Message"/> says what happened and that nothing was saved; <see cref="Cause"/> is the short
/// form for a run's reason. Anything else is not storage trouble and is left alone.
/// </summary>
public sealed record StorageTrouble(StorageTroubleKind Kind, string Message, string Cause)
{
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteFull = 13;
    private const int Enospc = 28, ErrorDiskFull = 112, ErrorHandleDiskFull = 39;

    public static StorageTrouble? From(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteFull } => Full,
        SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } => Busy,
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
}
