namespace ImageGen.Core.Storage;

/// <summary>
/// A store named on a command line: <c>sqlite:&lt;data folder or its imagegen.db&gt;</c>, <c>postgres:&lt;connection string&gt;</c>,
/// or a bare path (SQLite). Used by <c>imagegen db copy</c> and the tests' child processes.
/// </summary>
public sealed record StoreAddress(string Provider, string Value)
{
    public static StoreAddress Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? text[..colon].ToLowerInvariant() : "";
        return scheme switch
        {
            StorageProviders.Sqlite => new StoreAddress(StorageProviders.Sqlite, RequireValue(text[(colon + 1)..], text)),
            StorageProviders.Postgres or "postgresql" => new StoreAddress(StorageProviders.Postgres, RequireValue(text[(colon + 1)..], text)),
            _ when colon > 1 && !text.StartsWith('/') && !text.StartsWith('.') => throw new FormatException(
                $"'{scheme}' is not a store: name one as sqlite:<data folder> or postgres:<connection string>."),
            _ => new StoreAddress(StorageProviders.Sqlite, text),
        };
    }

    /// <summary>
    /// The data folder: SQLite's is the folder given (or the one holding the given <c>imagegen.db</c>); PostgreSQL's is
    /// <paramref name="dataFolder"/>, where its images are.
    /// </summary>
    public DataRoot Root(DataRoot dataFolder) => Provider == StorageProviders.Sqlite
        ? new DataRoot(Value.EndsWith(".db", StringComparison.OrdinalIgnoreCase) ? Path.GetDirectoryName(Path.GetFullPath(Value))! : Value)
        : dataFolder;

    public Database Open(DataRoot dataFolder, StorageOptions? options = null)
    {
        options ??= new StorageOptions();
        options.Provider = Provider;
        if (Provider == StorageProviders.Postgres)
        {
            options.ConnectionString = Value;
        }
        else if (Value.EndsWith(".db", StringComparison.OrdinalIgnoreCase) && !Path.GetFileName(Value).Equals("imagegen.db", StringComparison.Ordinal))
        {
            throw new FormatException($"'{Value}': ImageGen's SQLite database is the imagegen.db file in its data folder; name that folder or that file.");
        }
        return StorageServices.Open(Root(dataFolder), options);
    }

    /// <summary>For messages: never a password.</summary>
    public override string ToString() => Provider == StorageProviders.Postgres ? "postgres:" + Redacted(Value) : $"sqlite:{Value}";

    private static string Redacted(string connectionString)
    {
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            if (!string.IsNullOrEmpty(builder.Password))
            {
                builder.Password = "***";
            }
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(a connection string that could not be read)";
        }
    }

    private static string RequireValue(string value, string text) =>
        string.IsNullOrWhiteSpace(value) ? throw new FormatException($"'{text}' names no location after the colon.") : value;
}
