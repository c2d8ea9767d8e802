using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ImageGen.Core;
using ImageGen.Core.Generation;
using ImageGen.Core.Storage;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Commands;

/// <summary>
/// <c>imagegen db copy --from STORE --to STORE</c>: every table from one store into an empty other, ids kept, counts checked
/// (see <see cref="StoreCopier"/>). A store is <c>sqlite:&lt;data folder&gt;</c> or <c>postgres:&lt;connection string&gt;</c>.
/// Images are files and stay where they are: both stores name them relative to the data folder.
/// </summary>
public static class DbCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var from = new Option<string>("--from") { Description = "The store to copy from: sqlite:<data folder> or postgres:<connection string>.", Required = true };
        var to = new Option<string>("--to") { Description = "The empty store to copy into: sqlite:<data folder> or postgres:<connection string>.", Required = true };
        var copy = new Command("copy", "Copy every table of one store into an empty other, keeping ids, and check the counts.") { from, to };
        // The Native AOT imagegen the worker runs leaves db copy out: the AOT compiler drops the branch the feature switch
        // rules out, and Dapper (which maps rows with code made at run time) with it.
        copy.SetAction((parse, cancellationToken) => RuntimeFeature.IsDynamicCodeSupported
            ? CopyAsync(parse, from, to, stdout, stderr, cancellationToken)
            : NotInNativeBuildAsync(stderr));
        return new Command("db", "Work with ImageGen's stores (SQLite, PostgreSQL).") { copy };
    }

    private static async Task<int> NotInNativeBuildAsync(TextWriter stderr)
    {
        await stderr.WriteLineAsync("imagegen: error: db copy is not part of the native build of imagegen (it maps rows with code made at run time). " +
            "Run it from the .NET build: dotnet run --project ImageGen.Cli -- db copy --from … --to …. Nothing was copied.");
        return ExitCodes.Usage;
    }

    [RequiresDynamicCode("Dapper maps rows with code it emits at run time.")]
    private static async Task<int> CopyAsync(ParseResult parse, Option<string> from, Option<string> to, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        StoreAddress source, target;
        try
        {
            source = StoreAddress.Parse(parse.GetValue(from)!);
            target = StoreAddress.Parse(parse.GetValue(to)!);
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"imagegen: error: {e.Message}");
            return ExitCodes.Usage;
        }
        // A PostgreSQL store's images live in a data folder too: the SQLite side's, when there is one.
        var dataFolder = source.Provider == StorageProviders.Sqlite ? source.Root(new DataRoot(DataRoot.DefaultPath()))
            : target.Provider == StorageProviders.Sqlite ? target.Root(new DataRoot(DataRoot.DefaultPath()))
            : new DataRoot(DataRoot.DefaultPath());
        if (source.Provider == StorageProviders.Sqlite && !File.Exists(source.Root(dataFolder).DatabasePath))
        {
            await stderr.WriteLineAsync($"imagegen: error: there is no ImageGen database at {source.Root(dataFolder).DatabasePath}; nothing was copied.");
            return ExitCodes.Usage;
        }
        try
        {
            using var sourceDb = source.Open(dataFolder);
            using var targetDb = target.Open(dataFolder);
            await stderr.WriteLineAsync($"imagegen: copying {source} to {target}…");
            var tables = await StoreCopier.CopyAsync(sourceDb, targetDb, cancellationToken);
            foreach (var table in tables)
            {
                await stdout.WriteLineAsync($"{table.Table,-16} {table.TargetRows,10} row(s)");
            }
            await stdout.WriteLineAsync($"Copied {tables.Sum(t => t.TargetRows)} row(s) in {tables.Count} tables; every count matches.");
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is InvalidOperationException or StorageException or ArgumentException or Npgsql.NpgsqlException)
        {
            await stderr.WriteLineAsync($"imagegen: error: {e.Message} Nothing was copied.");
            return ExitCodes.Permanent;
        }
    }
}
