using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ImageGen.Core.Providers;
using ImageGen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.AppHost.Tests;

/// <summary>
/// Every provider and CLI setting given to the AppHost reaches the worker (which hands it to its CLI:
/// ImageGen.Worker.Tests' SettingsForwardingFacts) and the web app. The app is built, not started: the resources'
/// environment is read from the model, as DCP would read it to start the processes.
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

        await using var app = await builder.BuildAsync(cancellationToken).WaitAsync(BuildTimeout, cancellationToken);
        var execution = app.Services.GetRequiredService<DistributedApplicationExecutionContext>();
        var resources = app.Services.GetRequiredService<DistributedApplicationModel>().Resources;

        foreach (var name in new[] { "worker", "web" })
        {
            // What the resource's environment callbacks give, unresolved: a secret must arrive as a secret parameter, not as text.
            var project = resources.OfType<ProjectResource>().Single(r => r.Name == name);
            var environment = new Dictionary<string, object>(StringComparer.Ordinal);
            var context = new EnvironmentCallbackContext(execution, project, environment, cancellationToken);
            foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context);
            }
            var missing = ProviderSettingTable.All.Where(s => !environment.ContainsKey(s.Variable)).Select(s => s.Variable).ToList();
            Assert.True(missing.Count == 0, $"not handed to {name}: {string.Join(", ", missing)}");
            foreach (var setting in ProviderSettingTable.All)
            {
                var value = environment[setting.Variable];
                if (setting.IsSecret)
                {
                    var parameter = Assert.IsType<ParameterResource>(value);
                    Assert.True(parameter.Secret, $"{setting.Variable} is handed to {name} as a parameter that is not secret");
                    Assert.Equal(setting.SecretParameter, parameter.Name);
                    Assert.Equal(given[setting.Variable], await parameter.GetValueAsync(cancellationToken));
                }
                else
                {
                    Assert.Equal(given[setting.Variable], value as string);
                }
            }
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
