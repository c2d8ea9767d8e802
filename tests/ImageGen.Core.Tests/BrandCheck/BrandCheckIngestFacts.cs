using ImageGen.Core.BrandCheck;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using Microsoft.Extensions.Logging;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.BrandCheck;

/// <summary>A fault in the brand check (a bug, thrown by the checker) costs a run none of its images: ingest keeps them and logs an error.</summary>
public sealed class BrandCheckIngestFacts
{
    /// <summary>Every entry logged, with its level and exception.</summary>
    private sealed class Recorded : ILogger<RunIngest>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception), exception));
            }
        }
    }

    [Fact]
    public async Task AFaultInTheCheck_KeepsEveryImage_MarksItNotCheckedWithTheFault_AndLogsAnError()
    {
        using var dir = new TempDirectory("ingest-fault");
        var root = new DataRoot(dir.Path);
        root.EnsureCreated();
        var output = Path.Combine(root.TempDir, "out");
        Directory.CreateDirectory(output);
        var png = ImageEncoder.EncodeRgb(ProceduralRenderer.Render("a cup", 1, 64, 64), 64, 64, ImageFormats.Png, null);
        await File.WriteAllBytesAsync(Path.Combine(output, "01-seed1.png"), png, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(output, "02-seed2.png"), png, TestContext.Current.CancellationToken);
        var manifest = new GenerateManifest
        {
            Model = "offline/procedural", Prompt = "a cup",
            Settings = new ManifestSettings(64, 64, "1:1", "png", 2, 1, Backgrounds.Auto),
            Images = [new ManifestImage("01-seed1.png", 64, 64, "png", png.LongLength, 1), new ManifestImage("02-seed2.png", 64, 64, "png", png.LongLength, 2)],
        };
        // The fault: a logo template disposed before the check uses it.
        var logo = LogoTemplate.Load(BrandImages.Save(BrandImages.Logo(), Path.Combine(dir.Path, "logo.png")), "logo.png");
        logo.Dispose();
        var brand = new BrandCheckContext(BrandRules.Parse("## Rules\n- Logo: required"), "other", [logo], 7);
        var log = new Recorded();

        var run = await new RunIngest(new LocalImageStore(root), log).StoreAsync(manifest, output, new RunPlace("p", "i", 1), Backgrounds.Auto, brand,
            TestContext.Current.CancellationToken);

        Assert.Equal(2, run.Images.Count);
        Assert.All(run.Images, image =>
        {
            Assert.True(File.Exists(root.ResolveRelative(image.RelativePath)));
            Assert.Equal(BrandVerdict.Unchecked, image.BrandCheck!.Verdict);
            Assert.Equal("The brand check failed with an internal error (ObjectDisposedException); the image was kept and the error logged.", image.BrandCheck.Reason);
            Assert.Equal(7, image.BrandCheck.BrandRevisionId);
        });
        var errors = log.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.IsType<ObjectDisposedException>(e.Exception));
        Assert.Contains(errors, e => e.Message.Contains("01-seed1.png", StringComparison.Ordinal));
    }
}
