namespace ImageGen.Core.Storage;

/// <summary>
/// The one exception a busy or full database surfaces as, whichever backend raised it: the poller, the lease renewal and
/// the web app's error page handle this type and never a driver's own exceptions.
/// </summary>
public sealed class StorageException(StorageTrouble trouble, Exception inner) : Exception(trouble.Message, inner)
{
    public StorageTrouble Trouble { get; } = trouble;
}
