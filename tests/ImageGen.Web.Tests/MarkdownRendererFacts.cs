using ImageGen.Web.Services;

namespace ImageGen.Web.Tests;

/// <summary>Hostile brand Markdown renders to inert HTML without relying on the CSP.</summary>
public sealed class MarkdownRendererFacts
{
    [Theory]
    [InlineData("# Palette {onclick=\"alert(1)\"}", "onclick=")]
    [InlineData("[launch](https://example.com){onmouseover=alert(1) style=\"position:fixed\"}", "onmouseover")]
    [InlineData("![demo](https://www.youtube.com/watch?v=dQw4w9WgXcQ)", "<iframe")]
    [InlineData("![demo](https://vimeo.com/123456)", "<iframe")]
    [InlineData("::: {.x onclick=alert(1)}\ninside\n:::", "onclick")]
    [InlineData("<img src=x onerror=alert(1)>", "<img src=x")]
    [InlineData("Text {#x .y data-evil=1}", "data-evil")]
    public void AttributesAndEmbeds_NeverReachTheHtml(string markdown, string forbidden)
    {
        var html = MarkdownRenderer.ToSafeHtml(markdown);
        // Inside a tag, never: as escaped text it is only words.
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex("<[^>]*" + System.Text.RegularExpressions.Regex.Escape(forbidden), System.Text.RegularExpressions.RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"<[^>]*\s(on\w+|style)\s*=", System.Text.RegularExpressions.RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("[click me](javascript:alert(1))", "<p>click me</p>")]
    [InlineData("[**bold** text](data:text/html,<b>x</b>)", "<p>bold text</p>")]
    [InlineData("[x](vbscript:msgbox)", "<p>x</p>")]
    [InlineData("![logo](javascript:alert(1))", "<p>logo</p>")]
    public void UnsafeLinks_RenderAsPlainText_NotADeadLinkThatLooksLive(string markdown, string expected)
    {
        var html = MarkdownRenderer.ToSafeHtml(markdown).Trim();
        Assert.Equal(expected, html);
    }

    [Fact]
    public void AnImageOnAnotherSite_BecomesALinkToIt()
    {
        Assert.Equal("<p><a href=\"https://cdn.example/logo.png\">logo</a></p>", MarkdownRenderer.ToSafeHtml("![logo](https://cdn.example/logo.png)").Trim());
    }

    [Fact]
    public void WhatAStyleGuideNeeds_StillRenders()
    {
        var html = MarkdownRenderer.ToSafeHtml("""
            # Acme
            | colour | hex |
            |---|---|
            | primary | #c2410c |

            - [x] logo on white
            See https://acme.example/brand and [the site](https://acme.example).
            """);
        Assert.Contains("<h2 id=\"acme\">Acme</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("type=\"checkbox\"", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://acme.example/brand\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://acme.example\">the site</a>", html, StringComparison.Ordinal);
    }
}
