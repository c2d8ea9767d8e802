using ImageGen.Core.Generation;

namespace ImageGen.Core.Tests.Generation;

public sealed class PromptComposerFacts
{
    [Fact]
    public void Compose_AllParts_PutsAssetThenBrandThenConstraintsThenAdjustment()
    {
        var composed = PromptComposer.Compose(new PromptParts(
            Prompt: "a fox reading",
            WorkItemType: "icon",
            Constraints: "no text",
            BrandName: "Acme",
            BrandMarkdown: "# Acme\nPrimary #ff5500",
            Adjustment: "more contrast"));

        Assert.Equal("""
            An app icon: a fox reading

            Brand style guide (Acme):
            # Acme
            Primary #ff5500

            Constraints:
            no text

            Adjustment:
            more contrast
            """.ReplaceLineEndings("\n"), composed);
    }

    [Fact]
    public void Compose_OnlyAPrompt_IsThePromptTrimmed()
    {
        Assert.Equal("a fox", PromptComposer.Compose(new PromptParts("  a fox  ", WorkItemType: "other", Constraints: " ", BrandMarkdown: "")));
    }

    [Fact]
    public void Compose_EmptyPrompt_Throws()
    {
        Assert.Throws<ArgumentException>(() => PromptComposer.Compose(new PromptParts("   ")));
    }
}
