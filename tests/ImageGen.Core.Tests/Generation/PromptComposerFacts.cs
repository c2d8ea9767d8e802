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
            Acme:
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

    [Fact]
    public void TheBrandsMarkdown_IsFlattenedToPlainText_WithNoPipeLeft()
    {
        var composed = PromptComposer.Compose(new PromptParts(
            Prompt: "a fox | no text",
            BrandName: "Acme",
            BrandMarkdown: """
                # Acme | Style guide

                Use **bold** shapes and [our site](https://acme.example) as a *guide*.

                ## Colours
                - Primary `#ff5500`
                - Secondary #113355
                  - only on dark grounds

                | Role | Hex | Use |
                |------|-----|-----|
                | Accent | #ffcc00 | highlights |
                | Ink | #111111 | text \| icons |

                > Never stretch the logo.

                ![the logo, centred](https://acme.example/logo.png)
                <script>alert(1)</script>
                """));

        Assert.Equal("""
            a fox / no text

            Brand style guide (Acme):
            Acme / Style guide:
            Use bold shapes and our site as a guide.
            Colours:
            - Primary #ff5500
            - Secondary #113355
              - only on dark grounds
            Role: Accent; Hex: #ffcc00; Use: highlights
            Role: Ink; Hex: #111111; Use: text / icons
            Never stretch the logo.
            the logo, centred
            """.ReplaceLineEndings("\n"), composed);
        Assert.DoesNotContain('|', composed);
    }

    [Fact]
    public void WithASourceImage_ThePromptSaysToMakeANewVersionOfIt()
    {
        Assert.Equal("Make a new version of the first image. An app icon: a fox",
            PromptComposer.Compose(new PromptParts("a fox", WorkItemType: "icon") { FromSource = true }));
    }
}
