using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Generation;

public sealed class JobSpecFacts
{
    private static readonly JobSpec Full = new()
    {
        Model = "openai/gpt-image-2", Prompt = "a cup\nBrand: Acme", Count = 3, Size = "640x360", Format = "webp", Seed = 41,
        Background = Backgrounds.Transparent, Quality = Qualities.Low,
        References = [new InputFile("assets/ab/abc.png", new string('a', 64), "png", "logo.png") { AssetId = 4, Role = "logo" }],
        Source = new InputFile("images/p/i/run-1/01-seed1.png", new string('b', 64), "png", "01-seed1.png") { ImageId = 9 },
        Origin = new JobOrigin { WorkItemId = 2, BrandRevisionId = 3, ParentRunId = 1, Adjustment = "warmer" },
    };

    [Fact]
    public void ItRoundTrips_AsVersion1()
    {
        var json = Full.ToJson();
        Assert.Contains("\"version\":1", json, StringComparison.Ordinal);
        Assert.Equal(json, JobSpec.Parse(json).ToJson());
        Assert.Equal(Full.Describe(), JobSpec.Parse(Full.ToJson(indented: true)).Describe());
    }

    [Fact]
    public void APayloadQueuedBeforeVersion1_IsReadAsTheSameJob()
    {
        // The payload shape databases hold from before the spec: composedPrompt and the origin at the top level.
        const string legacy = """
            {"workItemId":2,"model":"openai/gpt-image-2","composedPrompt":"a cup\nBrand: Acme","count":3,"size":"640x360","format":"webp",
             "seed":41,"adjustment":"warmer","parentRunId":1,"brandRevisionId":3,
             "references":[{"path":"assets/ab/abc.png","sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","format":"png","name":"logo.png","assetId":4,"role":"logo"}],
             "source":{"path":"images/p/i/run-1/01-seed1.png","sha256":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","format":"png","name":"01-seed1.png","imageId":9},
             "background":"transparent","quality":"low"}
            """;
        Assert.Equal(Full.ToJson(), JobSpec.Parse(legacy).ToJson());
    }

    [Fact]
    public void ARunsSettingsFromBeforeVersion1_TakeModelAndPromptFromTheRunsColumns()
    {
        const string legacy = """{"count":2,"size":"256x256","format":"png","seed":3,"background":"auto","quality":"auto"}""";
        var spec = JobSpec.ForRun(legacy, "offline/procedural", "a hero");
        Assert.Equal(("offline/procedural", "a hero", 2, "256x256", 3L), (spec.Model, spec.Prompt, spec.Count, spec.Size!, spec.Seed!.Value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    public void ARunWhoseSettingsCannotBeRead_StillHasItsModelAndPrompt(string? settings)
    {
        var spec = JobSpec.ForRun(settings, "offline/procedural", "a hero");
        Assert.Equal(("offline/procedural", "a hero", 1, "png"), (spec.Model, spec.Prompt, spec.Count, spec.Format));
    }

    [Fact]
    public void ASpecOfANewerVersion_IsRefused_SayingSo()
    {
        var e = Assert.Throws<JsonException>(() => JobSpec.Parse("""{"version":2,"model":"m","prompt":"p"}"""));
        Assert.Contains("version 2; this ImageGen reads versions up to 1", e.Message, StringComparison.Ordinal);
        Assert.Null(JobSpec.TryParse("""{"version":2,"model":"m","prompt":"p"}"""));
        Assert.Equal("unknown", JobSpec.ModelOf("""{"version":2,"model":"m","prompt":"p"}"""));
    }

    [Theory]
    [InlineData("""{"version":1,"prompt":"p"}""", "names no model")]
    [InlineData("""{"version":1,"model":"m"}""", "has no prompt")]
    public void ASpecWithoutModelOrPrompt_IsRefused(string json, string why) =>
        Assert.Contains(why, Assert.Throws<JsonException>(() => JobSpec.Parse(json)).Message, StringComparison.Ordinal);

    [Fact]
    public void TheRemainingImages_AreAskedForWithTheSeedContinuing()
    {
        Assert.Same(Full, Full.Remaining(0));
        var rest = Full.Remaining(2);
        Assert.Equal((1, 43L), (rest.Count, rest.Seed!.Value)); // images 1 and 2 had seeds 41 and 42
        Assert.Equal((1, (long?)null), (Full with { Seed = null }).Remaining(2) is var r ? (r.Count, r.Seed) : default);
        Assert.Equal(1, Full.Remaining(5).Count); // never fewer than one
    }
}
