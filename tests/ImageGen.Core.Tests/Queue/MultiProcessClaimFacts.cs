using CliWrap;
using CliWrap.Buffered;
using Dapper;
using ImageGen.Core.Queue;
using ImageGen.Testing;

namespace ImageGen.Core.Tests.Queue;

public abstract class MultiProcessClaimFacts(Backend backend)
{
    [Fact]
    public async Task FourProcesses_ClaimTwoThousandJobs_EachExactlyOnce()
    {
        const int jobCount = 2_000;
        const int processes = 4;
        using var db = await TestDatabase.CreateAsync(backend);
        await db.Database.WriteAsync(async (c, t) =>
        {
            for (var i = 0; i < jobCount; i++)
            {
                await db.Queue.EnqueueAsync(c, t, new NewJob("noop", "{}"));
            }
        });
        var claimer = RepoPaths.ProjectDll("ImageGen.QueueClaimer", folder: Path.Combine(RepoPaths.Root, "tests", "ImageGen.QueueClaimer"));
        // Each process waits after its first claim until all have made one: every process takes part however the
        // 2 cores schedule their start-up, instead of hoping that more than one wins.
        var barrier = Path.Combine(db.Root.Path, "barrier");
        Directory.CreateDirectory(barrier);

        var results = await Task.WhenAll(Enumerable.Range(1, processes).Select(n =>
            Cli.Wrap(RepoPaths.DotnetHost).WithArguments([claimer, "claim", db.StoreArgument, $"p{n}", barrier, processes.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(TestContext.Current.CancellationToken).Task));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.StandardError));
        var claimed = results.SelectMany(r => r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Select(long.Parse).ToList();
        Assert.Equal(jobCount, claimed.Count);
        Assert.Equal(jobCount, claimed.Distinct().Count());
        Assert.All(results, r => Assert.NotEmpty(r.StandardOutput)); // every process claimed (the barrier makes sure)
        Assert.Equal(jobCount, await db.ScalarAsync<int>("SELECT count(*) FROM jobs WHERE status = 'succeeded' AND attempt = 1"));
        var workers = (await db.Database.ReadAsync(c => c.QueryAsync<string>("SELECT DISTINCT claimed_by FROM jobs"))).Count();
        Assert.Equal(processes, workers);
    }
}

public sealed class SqliteMultiProcessClaimFacts() : MultiProcessClaimFacts(Backend.Sqlite);

public sealed class PostgresMultiProcessClaimFacts() : MultiProcessClaimFacts(Backend.Postgres);
