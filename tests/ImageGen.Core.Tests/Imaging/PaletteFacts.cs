using ImageGen.Core.Imaging;

namespace ImageGen.Core.Tests.Imaging;

public sealed class PaletteFacts
{
    [Fact]
    public void FromText_ReadsSixAndThreeDigitHex_InOrder_WithoutDuplicates()
    {
        var colours = Palette.FromText("Primary #FF5500, accent #0af, again #ff5500; not #12345 or #ggg or #abcdefg");

        Assert.Equal([new Rgb(0xff, 0x55, 0x00), new Rgb(0x00, 0xaa, 0xff)], colours);
    }

    [Fact]
    public void ForPrompt_WithNamedColours_UsesThem()
    {
        Assert.Equal([new Rgb(0x11, 0x22, 0x33), new Rgb(0x44, 0x55, 0x66)], Palette.ForPrompt("#112233 and #445566"));
    }

    [Fact]
    public void ForPrompt_WithoutColours_IsDerivedFromTheText()
    {
        var a = Palette.ForPrompt("a calm lake");
        Assert.Equal(a, Palette.ForPrompt("a calm lake"));
        Assert.NotEqual(a, Palette.ForPrompt("a busy market"));
        Assert.Equal(4, a.Count);
    }
}
