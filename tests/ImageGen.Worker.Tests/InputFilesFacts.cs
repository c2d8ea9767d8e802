using Dapper;
using ImageGen.Core.Assets;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Queue;
using ImageGen.Testing;
using ImageGen.Core.Spec;
using ImageGen.Core.Storage;

namespace ImageGen.Worker.Tests;

/// <summary>A job's snapshotted input files reach the CLI as they were queued, and the run records them.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InputFilesFacts
{
    private static InputFile Asset(WorkerTestHost host, string prompt, string name)
    {
        var file = new AssetIntake(host.Root).Accept(ImageEncoder.EncodeRgb(ProceduralRenderer.Render(prompt, 1, 40, 40), 40, 40, ImageFormats.Png, null), name);
        return new InputFile(file.Path, file.Sha256, file.Format, name) { AssetId = 1, Role = AssetRoles.Logo };
    }

    [Fact]
    public async Task References_AndASource_GoToTheCli_AndTheRunAndSidecarNameThemByHash()
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();
        var logo = Asset(host, "logo #c2410c", "logo.png");
        var source = Asset(host, "source #1c1917 #fafaf9", "source.png") with { AssetId = null, Role = null, ImageId = 7 };

        var jobId = await host.EnqueueAsync(new JobSpec { Model = "offline/procedural", Prompt = "an icon", Count = 1, Size = "64x64", Seed = 1,
            References = [logo], Source = source, Background = Backgrounds.Transparent });
        await host.WaitForStatusAsync(jobId, JobStatus.Succeeded);

        var settings = JobSpec.ForRun(await host.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT settings_json FROM runs")), "", "");
        Assert.Equal([logo.Sha256], settings.References!.Select(r => r.Sha256));
        Assert.Equal((7L, source.Sha256), (settings.Source!.ImageId!.Value, settings.Source.Sha256));
        Assert.Equal(Backgrounds.Transparent, settings.Background);
        var path = await host.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT path FROM run_images"));
        var sidecar = GenerateManifest.FromJson(await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(host.Root.ResolveRelative(path!)!)!, GenerateManifest.SidecarFileName)));
        Assert.Equal([("source", source.Sha256), ("reference", logo.Sha256)], sidecar.Inputs!.Select(i => (i.Role, i.Sha256)).ToList());
        // The sidecar echoes the spec the worker handed the CLI: the same job, its inputs at their real paths, pinned.
        Assert.Equal(("an icon", source.Sha256, host.Root.ResolveRelative(source.Path)), (sidecar.Spec!.Prompt, sidecar.Spec.Source!.Sha256, sidecar.Spec.Source.Path));
        // The offline model honoured the transparent background: no warning on the candidate.
        Assert.Null(await host.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT warning FROM run_images")));
    }

    [Fact]
    public async Task AReferenceChangedAfterQueuing_FailsTheJobAtOnce_SayingWhich_AndSendsNothing()
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();
        var logo = Asset(host, "logo #c2410c", "logo.png");
        File.WriteAllBytes(host.Root.ResolveRelative(logo.Path)!, ImageEncoder.EncodeRgb(new byte[40 * 40 * 3], 40, 40, ImageFormats.Png, null));

        var jobId = await host.EnqueueAsync(new JobSpec { Model = "offline/procedural", Prompt = "an icon", References = [logo] });
        var job = await host.WaitForStatusAsync(jobId, JobStatus.Failed);

        Assert.Equal(1, job.Attempt); // not worth a retry: the file will not change back
        Assert.Contains($"The reference logo.png (logo, {logo.Sha256[..8]}) changed after the job was queued", job.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, await host.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM run_images")));
    }

    [Fact]
    public async Task AMissingReference_FailsTheJobAtOnce_SayingWhich()
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();
        var gone = new InputFile("assets/ab/abcdef.png", new string('a', 64), ImageFormats.Png, "gone.png") { AssetId = 9, Role = AssetRoles.Style };

        var jobId = await host.EnqueueAsync(new JobSpec { Model = "offline/procedural", Prompt = "an icon", References = [gone] });
        var job = await host.WaitForStatusAsync(jobId, JobStatus.Failed);

        Assert.Equal(1, job.Attempt);
        Assert.Contains("The reference gone.png (style, aaaaaaaa) is missing from the data folder", job.ErrorMessage, StringComparison.Ordinal);
    }
}
