using ImageGen.Core;
using ImageGen.Core.Queue;
using ImageGen.Core.Files;
using ImageGen.Core.Storage;
using ImageGen.Core.Storage.Sql;
using Microsoft.Extensions.Options;

// Usage:
//   migrate <store>                apply migrations; prints how many this process applied
//   claim <store> <worker-id> [<barrier-dir> <processes>]
//                                  claim and complete jobs until none are queued; prints each claimed id. With a
//                                  barrier, after its first claim it waits until every process has made one, so
//                                  the test knows each process takes part whatever the start-up order.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: migrate <data-dir> | claim <data-dir> <worker-id>");
    return 2;
}

// <store> is a data folder (SQLite) or postgres:<connection string>; PostgreSQL's images folder is a scratch one.
var address = StoreAddress.Parse(args[1]);
using var database = address.Open(new DataRoot(Path.Combine(Path.GetTempPath(), "imagegen-claimer")));
switch (args[0])
{
    case "migrate":
        Console.WriteLine(await Migrator.MigrateAsync(database));
        return 0;
    case "claim":
        var queue = StorageServices.CreateQueue(database, new SqlRunCloser(database, new LocalImageStore(database.Root)), TimeProvider.System, Options.Create(new QueueOptions()));
        var jobs = new JobQueries(database);
        var workerId = args[2];
        var barrier = args.Length >= 5 ? (Directory: args[3], Processes: int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)) : ((string Directory, int Processes)?)null;
        var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        var claimedOne = false;
        while (true)
        {
            var job = await queue.ClaimAsync(workerId);
            if (job is null)
            {
                if ((await jobs.QueueSnapshotAsync()).Depth == 0)
                {
                    break;
                }
                continue;
            }
            if (!await queue.SucceedAsync(job))
            {
                Console.Error.WriteLine($"lost claim on job {job.Id}");
                return 1;
            }
            await output.WriteLineAsync(job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!claimedOne && barrier is { } b)
            {
                claimedOne = true;
                await File.WriteAllTextAsync(Path.Combine(b.Directory, workerId), "");
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (Directory.GetFiles(b.Directory).Length < b.Processes)
                {
                    if (DateTime.UtcNow > deadline)
                    {
                        Console.Error.WriteLine("the other processes never made their first claim");
                        return 1;
                    }
                    await Task.Delay(10);
                }
            }
        }
        await output.FlushAsync();
        return 0;
    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'");
        return 2;
}
