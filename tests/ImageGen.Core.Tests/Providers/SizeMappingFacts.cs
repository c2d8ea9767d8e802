using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Providers;

/// <summary>
/// Every size the generate form can ask for (each side 16–4096, or an aspect ratio alone) maps to a size each provider's
/// documented rules accept (docs/PROVIDERS.md), checked here against those rules written out independently.
/// </summary>
public sealed class SizeMappingFacts
{
    private static readonly int[] Sides = [16, 17, 64, 100, 255, 256, 512, 576, 640, 720, 768, 1000, 1024, 1080, 1200, 1536, 1920, 2048, 2160, 3000, 3840, 4000, 4095, 4096];

    /// <summary>Every explicit size from the grid, and every aspect ratio the form lists, alone.</summary>
    public static IEnumerable<ImageSize> FormSizes =>
        Sides.SelectMany(w => Sides.Select(h => new ImageSize(w, h)))
            .Concat(new[] { "1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "21:9", "1:8", "100:1", "1:100" }
                .Where(r => r is not ("100:1" or "1:100")).Select(r => ImageSize.Resolve(null, r)));

    [Fact]
    public void GptImage2_EverySize_IsSentWithinThePixelBudget_SidesOf16_EdgeAndRatioLimits()
    {
        foreach (var size in FormSizes)
        {
            var plan = SizeMapping.OpenAi("gpt-image-2", size);
            Assert.True(plan.Width % 16 == 0 && plan.Height % 16 == 0, $"{size} → {plan.Sent}: sides not multiples of 16");
            Assert.InRange((long)plan.Width * plan.Height, 655_360, 8_294_400);
            Assert.True(Math.Max(plan.Width, plan.Height) <= 3840, $"{size} → {plan.Sent}: edge over 3840");
            Assert.True(Math.Max(plan.Width, plan.Height) <= 3 * Math.Min(plan.Width, plan.Height), $"{size} → {plan.Sent}: ratio beyond 3:1");
            Assert.Equal($"{plan.Width}x{plan.Height}", plan.Sent);
        }
    }

    [Theory]
    [InlineData(1024, 1024, "1024x1024")] // within the budget: sent as asked
    [InlineData(1280, 720, "1280x720")]
    [InlineData(1024, 576, "1088x608")] // 589,824 px is under the minimum: upscaled, same shape
    [InlineData(512, 512, "816x816")]
    [InlineData(4096, 4096, "2880x2880")] // over the maximum: downscaled to 8,294,400 px
    [InlineData(3840, 2160, "3840x2160")]
    [InlineData(4096, 1024, "3552x1184")] // 4:1 is beyond 3:1: brought to 3:1
    [InlineData(1000, 1000, "992x992")] // halfway between multiples of 16: rounded to even
    public void GptImage2_KnownSizes(int width, int height, string sent) =>
        Assert.Equal(sent, SizeMapping.OpenAi("gpt-image-2", new ImageSize(width, height)).Sent);

    [Theory]
    [InlineData("gpt-image-1.5")]
    [InlineData("gpt-image-1-mini")]
    [InlineData("chatgpt-image-latest")]
    public void OlderGptImageModels_AreSentOnlyTheirFixedSizes(string model)
    {
        foreach (var size in FormSizes)
        {
            Assert.Contains(SizeMapping.OpenAi(model, size).Sent, new[] { "1024x1024", "1536x1024", "1024x1536" });
        }
        Assert.Equal("1536x1024", SizeMapping.OpenAi(model, new ImageSize(1920, 1080)).Sent);
        Assert.Equal("1024x1536", SizeMapping.OpenAi(model, new ImageSize(720, 1280)).Sent);
    }

    public static TheoryData<string, string[], string?[]> GeminiModels => new()
    {
        { "gemini-3.1-flash-image", ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9", "1:4", "4:1", "1:8", "8:1"], ["512", "1K", "2K", "4K"] },
        { "gemini-3.1-flash-image-preview", ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9", "1:4", "4:1", "1:8", "8:1"], ["512", "1K", "2K", "4K"] },
        { "gemini-3-pro-image", ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"], ["1K", "2K", "4K"] },
        { "gemini-3-pro-image-preview", ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"], ["1K", "2K", "4K"] },
        { "gemini-3.1-flash-lite-image", ["1:1", "2:3", "3:2", "3:4", "4:3", "9:16", "16:9", "21:9"], ["1K"] },
        { "gemini-2.5-flash-image", ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"], [null] },
    };

    [Theory]
    [MemberData(nameof(GeminiModels))]
    public void Gemini_EverySize_IsSentAsOneOfTheModelsRatiosAndImageSizes(string model, string[] ratios, string?[] imageSizes)
    {
        foreach (var size in FormSizes)
        {
            var (ratio, imageSize, _) = SizeMapping.GeminiPlan(model, size);
            Assert.Contains(ratio, ratios);
            Assert.Contains(imageSize, imageSizes);
        }
    }

    [Theory]
    [InlineData("gemini-3.1-flash-image", 500, 500, "1:1 at 512")]
    [InlineData("gemini-3.1-flash-image", 1920, 1080, "16:9 at 2K")]
    [InlineData("gemini-3.1-flash-image", 4096, 1024, "4:1 at 4K")] // 4K on the GA id too ("4K (Preview)" on Google's model page)
    [InlineData("gemini-3.1-flash-image-preview", 4096, 1024, "4:1 at 4K")]
    [InlineData("gemini-3-pro-image", 4096, 4096, "1:1 at 4K")] // as Google's cookbook sends it
    [InlineData("gemini-3-pro-image-preview", 4096, 4096, "1:1 at 4K")]
    [InlineData("gemini-3.1-flash-lite-image", 1000, 1250, "3:4 at 1K")] // no 4:5 on Lite
    [InlineData("gemini-2.5-flash-image", 1920, 1080, "16:9")] // no imageSize at all
    public void Gemini_KnownSizes(string model, int width, int height, string sent) =>
        Assert.Equal(sent, SizeMapping.GeminiPlan(model, new ImageSize(width, height)).Plan.Sent);

    [Fact]
    public void StableDiffusion_EverySize_IsOnThe8PxGrid_Within64To2048()
    {
        foreach (var size in FormSizes)
        {
            var plan = SizeMapping.StableDiffusion(size);
            Assert.True(plan.Width % 8 == 0 && plan.Height % 8 == 0, plan.Sent);
            Assert.InRange(plan.Width, 64, 2048);
            Assert.InRange(plan.Height, 64, 2048);
        }
    }
}
