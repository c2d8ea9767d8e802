using ImageGen.Core.Imaging;

namespace ImageGen.Core.Tests.Imaging;

public sealed class ProceduralRendererFacts
{
    [Fact]
    public void Render_SameInputs_GivesTheSamePixels()
    {
        Assert.Equal(ProceduralRenderer.Render("fox #ff5500", 42, 200, 120), ProceduralRenderer.Render("fox #ff5500", 42, 200, 120));
    }

    [Theory]
    [InlineData("fox", 1, "fox", 2)]
    [InlineData("fox", 1, "owl", 1)]
    public void Render_DifferentSeedOrPrompt_DiffersVisibly(string promptA, long seedA, string promptB, long seedB)
    {
        var a = ProceduralRenderer.Render(promptA, seedA, 256, 256);
        var b = ProceduralRenderer.Render(promptB, seedB, 256, 256);

        // Count pixels that differ by more than a just-noticeable amount.
        var differing = 0;
        for (var i = 0; i < a.Length; i += 3)
        {
            if (Math.Abs(a[i] - b[i]) + Math.Abs(a[i + 1] - b[i + 1]) + Math.Abs(a[i + 2] - b[i + 2]) > 30)
            {
                differing++;
            }
        }
        Assert.True(differing > 256 * 256 / 4, $"only {differing} of {256 * 256} pixels differ visibly");
    }

    [Fact]
    public void Render_IsNotAFlatFill_AndUsesThePromptColours()
    {
        var pixels = ProceduralRenderer.Render("brand #ff5500 #003366", 7, 256, 256);
        var distinct = new HashSet<int>();
        for (var i = 0; i < pixels.Length; i += 3)
        {
            distinct.Add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
        }
        // Two named colours blend along one line in colour space, so a few hundred shades is the most to expect.
        Assert.True(distinct.Count > 100, $"only {distinct.Count} distinct colours");

        // Every pixel is a blend of the two named colours, so red never exceeds #ff5500's and blue never #003366's.
        for (var i = 0; i < pixels.Length; i += 3)
        {
            Assert.InRange(pixels[i + 2], 0, 0x66);
        }
    }
}
