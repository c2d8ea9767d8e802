using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ImageGen.Core.Providers;
using ImageGen.Testing;

namespace ImageGen.AppHost.Tests;

/// <summary>
/// Every provider and CLI setting given to the AppHost reaches the worker (which hands it to its CLI:
/// ImageGen.Worker.Tests' SettingsForwardingFacts) and the web app. The app model is built, not started: this is what
/// DCP would start the processes with.
/// </summary>
public sealed class SettingsFacts
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task EverySetting_GivenOnTheCommandLine_ReachesWorkerAndWeb_SecretsAsSecretParameters()
    {
        using var data = new ImageGen.Testing.TempDirectory("apphost-settings");
        var cancellationToken = TestContext.Current.CancellationToken;
        var given = ProviderSettingTable.All.ToDictionary(s => s.Variable, s => ReadmeSettings.SampleValue(s.Variable, s.Check));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImageGen_AppHost>(
            [$"--Parameters:data-dir={data.Path}", .. given.Select(setting => $"--{setting.Key}={setting.Value}")],
            (options, _) => options.DisableDashboard = true,
            cancellationToken).WaitAsync(BuildTimeout, cancellationToken);

        foreach (var name in new[] { "worker", "web" })
        {
            var project = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name);
            var environment = await project.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
            var missing = given.Where(setting => environment.GetValueOrDefault(setting.Key) != setting.Value).Select(setting => setting.Key).ToList();
            Assert.True(missing.Count == 0, $"not handed to {name}: {string.Join(", ", missing)}");
        }
        foreach (var secret in ProviderSettingTable.Secrets)
        {
            var parameter = Assert.Single(builder.Resources.OfType<ParameterResource>(), p => p.Name == secret.SecretParameter);
            Assert.True(parameter.Secret, $"{secret.Variable} is not a secret parameter");
        }
    }

    [Fact]
    public async Task ASettingThatBreaksItsRule_StopsTheAppHost_NamingTheVariable()
    {
        using var data = new ImageGen.Testing.TempDirectory("apphost-settings");
        var cancellationToken = TestContext.Current.CancellationToken;
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImageGen_AppHost>(
            [$"--Parameters:data-dir={data.Path}", "--IMAGEGEN_PNG_COMPRESSION=12"], (options, _) => options.DisableDashboard = true,
            cancellationToken).WaitAsync(BuildTimeout, cancellationToken));
        Assert.Contains("IMAGEGEN_PNG_COMPRESSION is '12': it must be a whole number from 0 to 9.", e.ToString(), StringComparison.Ordinal);
    }
}
