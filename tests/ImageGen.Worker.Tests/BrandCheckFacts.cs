using Dapper;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Tests;

/// <summary>The worker checks every candidate against its brand at ingest, and a check that cannot run never fails the job.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BrandCheckFacts
{
    private const string Guide = """
        # Acme
        Blue #1144aa, yellow #ffcc00.

        ## Rules
        - Avoid: #00ff00
        - Hero aspect: 16:9
        - Logo: required
        """;

    private sealed record CheckRow(string? BrandVerdict, double? BrandScore, string? BrandJson);

    private static async Task AddBrandAsync(WorkerTestHost host, string markdown, string? logoBytes)
    {
        await host.Database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("""
                INSERT INTO brands (id, name, slug, content_markdown, created_at, updated_at) VALUES (1, 'Acme', 'acme', @markdown, 0, 0);
                INSERT INTO brand_revisions (id, brand_id, revision, name, content_markdown, asset_ids, created_at) VALUES (1, 1, 1, 'Acme', @markdown, @assetIds, 0);
                """, new { markdown, assetIds = logoBytes is null ? "" : "1" }, t);
            if (logoBytes is not null)
            {
                await c.ExecuteAsync("""
                    INSERT INTO assets (id, brand_id, role, original_name, path, thumbnail_path, format, width, height, bytes, sha256, created_at)
                    VALUES (1, 1, 'logo', 'broken.png', 'assets/broken.png', 'assets/broken.webp', 'png', 64, 64, 10, 'ab', 0)
                    """, transaction: t);
            }
            return 0;
        });
        if (logoBytes is not null)
        {
            Directory.CreateDirectory(Path.Combine(host.Root.Path, "assets"));
            await File.WriteAllTextAsync(Path.Combine(host.Root.Path, "assets", "broken.png"), logoBytes);
        }
    }

    [Fact]
    public async Task EveryCandidate_GetsItsBrandCheck_AndAnUnreadableLogoIsNotCheckedWithTheReason_WhileTheJobSucceeds()
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();
        await AddBrandAsync(host, Guide, logoBytes: "not a png at all");

        var jobId = await host.EnqueueAsync(new JobSpec { Model = "offline/procedural", Prompt = "a hero banner\n" + Guide, Count = 2, Size = "256x128", Seed = 5, Origin = new JobOrigin { BrandRevisionId = 1 } });
        await host.WaitForStatusAsync(jobId, JobStatus.Succeeded);

        var rows = (await host.ReadAsync(c => c.QueryAsync<CheckRow>("SELECT brand_verdict, brand_score, brand_json FROM run_images ORDER BY id"))).ToList();
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            var check = BrandCheckResult.FromJson(row.BrandJson)!;
            Assert.Equal(check.Verdict.ToText(), row.BrandVerdict);
            Assert.Equal(1, check.BrandRevisionId);
            // 256x128 is 2:1; the brand asks 16:9 for heroes: a failure a person can verify from the size alone.
            Assert.Equal("fail", row.BrandVerdict); // the stored word
            Assert.Equal("256x128 is 2:1; the brand allows 16:9 for heroes.", check.Checks.Single(l => l.Name == "Aspect ratio").Summary);
            Assert.True(row.BrandScore <= BrandChecker.FailCap);
            // The offline model draws with the brand's colours and leaves out the avoided one.
            Assert.Equal(BrandVerdict.Pass, check.Checks.Single(l => l.Name == "Avoided colours").Verdict);
            Assert.NotNull(check.Score);
            var logo = check.Checks.Single(l => l.Name == "Logo");
            Assert.Equal(BrandVerdict.Unchecked, logo.Verdict);
            Assert.StartsWith("Not checked: the logo 'broken.png' could not be read", logo.Summary);
        }
    }

    [Fact]
    public async Task ARunWithoutABrand_HasNoBrandCheck()
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();

        var jobId = await host.EnqueueAsync();
        await host.WaitForStatusAsync(jobId, JobStatus.Succeeded);

        var rows = await host.ReadAsync(c => c.QueryAsync<CheckRow>("SELECT brand_verdict, brand_score, brand_json FROM run_images"));
        Assert.All(rows, r => Assert.Equal(new CheckRow(null, null, null), r));
    }
}
