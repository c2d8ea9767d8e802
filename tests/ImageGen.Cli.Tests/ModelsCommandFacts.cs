using System.Text.Json;

namespace ImageGen.Cli.Tests;

public sealed class ModelsCommandFacts
{
    [Fact]
    public async Task Models_Json_ListsTheOfflineModelAsAvailable()
    {
        var result = await ImageGenProcess.RunAsync("models", "--json");

        Assert.Equal(0, result.ExitCode);
        var models = JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray().ToList();
        var offline = Assert.Single(models, m => m.GetProperty("id").GetString() == "offline/procedural");
        Assert.True(offline.GetProperty("available").GetBoolean());
    }
}
