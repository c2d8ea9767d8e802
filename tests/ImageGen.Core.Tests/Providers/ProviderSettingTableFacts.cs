using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Providers;

/// <summary>The one declaration of the provider and CLI settings, held to the README and to what is derived from it.</summary>
public sealed class ProviderSettingTableFacts
{
    [Fact]
    public void TheReadmeTable_NamesEveryDeclaredSetting_AndDeclaresEverySettingItNames()
    {
        var readme = ReadmeSettings.ProviderVariables();
        var declared = ProviderSettingTable.All.Select(s => s.Variable).ToList();
        Assert.Contains("IMAGEGEN_PNG_COMPRESSION", readme); // the one the three old lists disagreed on
        Assert.Empty(readme.Except(declared));
        Assert.Empty(declared.Except(readme));
        Assert.Equal(declared.Count, declared.Distinct().Count());
    }

    [Fact]
    public void VariablesAndKeyVariables_AreTheDeclaration()
    {
        Assert.Equal(ProviderSettingTable.All.Select(s => s.Variable), ProviderSettings.Variables);
        Assert.Equal(["OPENAI_API_KEY", "GEMINI_API_KEY", "IMAGEGEN_COMPAT_API_KEY", "IMAGEGEN_A1111_AUTH"], ProviderSettings.KeyVariables);
    }

    [Fact]
    public void NothingSet_GivesTheRecordsOwnDefaults()
    {
        Assert.Equal(new ProviderSettings(), ProviderSettings.FromEnvironment(_ => null));
        Assert.Equal(new ProviderSettings(), ProviderSettings.FromEnvironment(_ => "  ")); // blank is unset
    }

    [Fact]
    public void EverySettingRead_ChangesTheSettings()
    {
        // Set one at a time: each declared setting must be read into ProviderSettings (or, for the price file, by PriceTable).
        foreach (var setting in ProviderSettingTable.All.Where(s => s != ProviderSettingTable.PricesFile))
        {
            var value = ReadmeSettings.SampleValue(setting.Variable, setting.Check);
            var read = ProviderSettings.FromEnvironment(name => name == setting.Variable ? value : null);
            Assert.True(read != new ProviderSettings(), $"{setting.Variable}={value} changed nothing");
        }
    }

    [Theory]
    [InlineData("IMAGEGEN_PNG_COMPRESSION", "10", "IMAGEGEN_PNG_COMPRESSION is '10': it must be a whole number from 0 to 9.")]
    [InlineData("IMAGEGEN_A1111_DENOISING", "1.5", "IMAGEGEN_A1111_DENOISING is '1.5': it must be a number from 0 to 1.")]
    [InlineData("IMAGEGEN_COMPAT_SEED", "maybe", "IMAGEGEN_COMPAT_SEED is 'maybe': it must be true or false.")]
    [InlineData("IMAGEGEN_GEMINI_MAX_IMAGES", "-1", "IMAGEGEN_GEMINI_MAX_IMAGES is '-1': it must be a whole number from 0 to 16.")]
    [InlineData("IMAGEGEN_REQUEST_TIMEOUT", "0", "IMAGEGEN_REQUEST_TIMEOUT is '0': it must be a whole number from 1 to 3600.")]
    public void ABadValue_IsAUsageErrorNamingTheVariable(string variable, string value, string message)
    {
        var e = Assert.Throws<ImageGenException>(() => ProviderSettings.FromEnvironment(name => name == variable ? value : null));
        Assert.Equal((ErrorKind.Usage, message), (e.Kind, e.Message));
        Assert.Equal(message, ProviderSettingTable.All.Single(s => s.Variable == variable).Check(value));
    }

    [Fact]
    public void ABadSecret_IsRefusedWithoutRepeatingIt()
    {
        const string password = "hunter2-no-colon";
        var e = Assert.Throws<ImageGenException>(() => ProviderSettings.FromEnvironment(name => name == "IMAGEGEN_A1111_AUTH" ? password : null));
        Assert.Equal("IMAGEGEN_A1111_AUTH is not valid: it must be user:password (a user name, a colon, then the password).", e.Message);
        Assert.DoesNotContain(password, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRedactor_MasksEverySecretSetting()
    {
        var values = ProviderSettingTable.Secrets.ToDictionary(s => s.Variable, s => $"user:secret-{s.Variable.ToLowerInvariant()}");
        var fromSettings = SecretRedactor.For(ProviderSettings.FromEnvironment(name => values.GetValueOrDefault(name)));
        var fromVariables = SecretRedactor.FromVariables(name => values.GetValueOrDefault(name));
        // Each secret verbatim (and, for user:password values, the password alone too: a server may echo either).
        Assert.Subset(fromSettings.Secrets.ToHashSet(), values.Values.ToHashSet());
        Assert.Equal(fromSettings.Secrets.Order(), fromVariables.Secrets.Order());
        Assert.Contains("secret-imagegen_a1111_auth", fromSettings.Secrets);
    }
}
