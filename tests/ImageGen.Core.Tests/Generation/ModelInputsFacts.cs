using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Providers;
using NetVips;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Generation;

/// <summary>The capability table that the CLI, the form and <c>models --json</c> share, and the offline model's use of images.</summary>
public sealed class ModelInputsFacts
{
    private static readonly ModelRegistry Registry = ModelRegistry.CreateDefault(new ProviderSettings { OpenAiApiKey = "k", GeminiApiKey = "k" });

    private static ModelCapabilities Of(string id) => Registry.Find(id)!.Info.Capabilities;

    [Fact]
    public void EachModel_DeclaresWhatItHonours()
    {
        var offline = Of("offline/procedural");
        Assert.Equal((true, 8, true, false, true, 0), (offline.Seed, offline.MaxInputImages, offline.SourceImage, offline.Mask, offline.Transparency, offline.Qualities.Count));
        var openai = Of("openai/gpt-image-2");
        Assert.Equal((false, 16, true, true, true), (openai.Seed, openai.MaxInputImages, openai.SourceImage, openai.Mask, openai.Transparency));
        Assert.Equal(["low", "medium", "high"], openai.Qualities);
        Assert.Equal(14, Of("google/gemini-3-pro-image").MaxInputImages);
        Assert.Equal(3, Of("google/gemini-2.5-flash-image").MaxInputImages);
        Assert.False(Of("google/gemini-3-pro-image").Transparency);
        Assert.Contains("16:9", Of("google/gemini-3-pro-image").AspectRatios!);
        Assert.False(Of("compat/default").TakesImages); // text only unless the server is declared to take images
        Assert.Equal(4, ModelRegistry.CreateDefault(new ProviderSettings { CompatBaseUrl = "http://x", CompatMaxInputImages = 4 }).Find("compat/default")!.Info.Capabilities.MaxInputImages);
    }

    public static TheoryData<string, GenerateOptions, string[]> Problems => new()
    {
        { "compat/default", new GenerateOptions(References: 1), ["References"] },
        { "google/gemini-2.5-flash-image", new GenerateOptions(References: 3, Source: true), ["References"] },
        { "google/gemini-2.5-flash-image", new GenerateOptions(References: 2, Source: true), [] },
        { "offline/procedural", new GenerateOptions(Source: true, Mask: true), ["Mask"] },
        { "openai/gpt-image-2", new GenerateOptions(Mask: true), ["Mask"] },
        { "openai/gpt-image-2", new GenerateOptions(References: 15, Source: true, Mask: true, Background: "transparent", Quality: "low", Format: "webp"), [] },
        { "openai/gpt-image-2", new GenerateOptions(Background: "transparent", Format: "jpeg"), ["Background"] },
        { "google/gemini-3-pro-image", new GenerateOptions(Background: "transparent"), ["Background"] },
        { "google/gemini-3-pro-image", new GenerateOptions(Background: "opaque", Quality: "low"), ["Quality"] },
        { "offline/procedural", new GenerateOptions(References: 8, Background: "transparent"), [] },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Check_NamesTheFieldOfEachThingAModelCannotDo(string model, GenerateOptions options, string[] fields) =>
        Assert.Equal(fields, Of(model).Check(model, options).Select(p => p.Field).ToArray());

    [Fact]
    public void Check_SaysWhyInWords()
    {
        Assert.Equal("compat/default is text only: it takes no reference images.", Of("compat/default").Check("compat/default", new GenerateOptions(References: 2)).Single().Message);
        Assert.Equal("A transparent background needs PNG or WebP: JPEG has no alpha channel.",
            Of("offline/procedural").Check("offline/procedural", new GenerateOptions(Background: "transparent", Format: "jpeg")).Single().Message);
    }

    private static InputImage Solid(byte r, byte g, byte b, int size = 64) =>
        InputImage.FromBytes(ImageEncoder.EncodeRgb(Enumerable.Range(0, size * size * 3).Select(i => (i % 3) switch { 0 => r, 1 => g, _ => b }).ToArray(), size, size, ImageFormats.Png, null), "solid.png", "test");

    private static async Task<byte[]> OfflineAsync(string prompt, long seed, ModelRequest? with = null)
    {
        var request = (with ?? new ModelRequest(prompt, new ImageSize(96, 64), ImageFormats.Png, 1, seed)) with { Prompt = prompt, Seed = seed };
        return (await new OfflineProceduralModel().GenerateAsync(request, CancellationToken.None)).Images[0].Bytes;
    }

    private static (double R, double G, double B) Mean(byte[] png)
    {
        using var image = Image.NewFromBuffer(png);
        using var rgb = image.HasAlpha() ? image.Flatten() : image.Copy();
        var stats = rgb.Stats();
        return (stats[4, 1][0], stats[4, 2][0], stats[4, 3][0]);
    }

    [Fact]
    public async Task Offline_TakesItsPaletteFromTheReferences_WhenThePromptNamesNoColours()
    {
        var size = new ImageSize(96, 64);
        var red = new ModelRequest("", size, ImageFormats.Png, 1, 0) { References = [Solid(200, 20, 20), Solid(120, 0, 0)] };
        var blue = new ModelRequest("", size, ImageFormats.Png, 1, 0) { References = [Solid(20, 30, 210)] };

        var fromRed = await OfflineAsync("a product shot", 7, red);
        var fromBlue = await OfflineAsync("a product shot", 7, blue);

        Assert.Equal(fromRed, await OfflineAsync("a product shot", 7, red)); // deterministic
        var (r1, _, b1) = Mean(fromRed);
        var (r2, _, b2) = Mean(fromBlue);
        Assert.True(r1 > b1 + 60, $"red references gave mean R {r1:0} B {b1:0}");
        Assert.True(b2 > r2 + 60, $"blue references gave mean R {r2:0} B {b2:0}");
        // As many pixels of each: the tie goes to the lower bin, so the order never depends on the run.
        Assert.Equal([new Rgb(120, 0, 0), new Rgb(200, 20, 20)], Palette.Dominant(red.References));
        // A prompt's own hex colours win over the references.
        var (r3, _, b3) = Mean(await OfflineAsync("a product shot #1030e0 #0a1a80", 7, red));
        Assert.True(b3 > r3, $"the prompt's blues gave mean R {r3:0} B {b3:0}");
    }

    [Fact]
    public async Task Offline_LaysOutASourceImage_SoTheResultFollowsItsLightAndDark()
    {
        // A source that is white on the left half and black on the right.
        const int w = 96, h = 64;
        var pixels = new byte[w * h * 3];
        for (var i = 0; i < w * h; i++)
        {
            var value = (byte)(i % w < w / 2 ? 255 : 0);
            pixels[i * 3] = pixels[(i * 3) + 1] = pixels[(i * 3) + 2] = value;
        }
        var source = InputImage.FromBytes(ImageEncoder.EncodeRgb(pixels, w, h, ImageFormats.Png, null), "split.png", "test");
        var request = new ModelRequest("", new ImageSize(w, h), ImageFormats.Png, 1, 0) { Source = source };

        var png = await OfflineAsync("a split #101010 #f0f0f0", 3, request);

        Assert.Equal(png, await OfflineAsync("a split #101010 #f0f0f0", 3, request));
        using var image = Image.NewFromBuffer(png);
        using var left = image.Crop(0, 0, w / 4, h);
        using var right = image.Crop(w * 3 / 4, 0, w / 4, h);
        Assert.True(left.Avg() > right.Avg() + 80, $"left {left.Avg():0} right {right.Avg():0}");
    }

    [Fact]
    public async Task Offline_MakesATransparentBackground_WhenAsked()
    {
        var request = new ModelRequest("", new ImageSize(128, 128), ImageFormats.Png, 1, 0) { Background = Backgrounds.Transparent };

        var png = await OfflineAsync("an icon #c2410c #1c1917", 4, request);

        using var image = Image.NewFromBuffer(png);
        Assert.Equal(4, image.Bands);
        using var alpha = image[3];
        Assert.Equal(0, alpha.Min()); // the ground is gone
        Assert.True(alpha.Max() > 200, "the shapes cover something");
        Assert.False(Alpha.IsOpaque(WriteTemp(png)));
        var opaque = await OfflineAsync("an icon #c2410c #1c1917", 4);
        Assert.True(Alpha.IsOpaque(WriteTemp(opaque)));
    }

    private static string WriteTemp(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"imagegen-alpha-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
