using System.Net;
using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Imaging;

/// <summary>An image URL from a remote provider never reaches this machine or its private network.</summary>
public sealed class ImageUrlFetcherFacts
{
    [Theory]
    [InlineData("http://127.0.0.1:9/files/x.png", "127.0.0.1")]
    [InlineData("http://localhost:9/files/x.png", "127.0.0.1")]
    [InlineData("http://[::1]:9/files/x.png", "::1")]
    [InlineData("http://10.1.2.3/x.png", "10.1.2.3")]
    [InlineData("http://192.168.0.10/x.png", "192.168.0.10")]
    [InlineData("http://169.254.169.254/latest/meta-data", "169.254.169.254")]
    public async Task ARemoteProvidersUrlToAPrivateAddress_IsRefusedBeforeConnecting(string url, string address)
    {
        using var fetcher = new ImageUrlFetcher(new Uri("https://images.example.com/v1/"), TimeSpan.FromSeconds(5));

        var e = await Assert.ThrowsAsync<ImageGenException>(() => fetcher.FetchAsync("The compatible server", new Uri(url), TestContext.Current.CancellationToken));

        Assert.Equal(ErrorKind.Permanent, e.Kind);
        Assert.Equal($"The compatible server answered an image URL on {address}, an address on this machine or its private network; it was not fetched.", e.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/", true)]
    [InlineData("http://localhost:7860/", true)]
    [InlineData("http://192.168.1.20:8000/", true)]
    [InlineData("https://api.openai.com/v1", false)]
    [InlineData("http://8.8.8.8/", false)]
    public void ALocalProviderMayAnswerLocalUrls(string providerBase, bool local) =>
        Assert.Equal(local, ImageUrlFetcher.IsPrivateHost(new Uri(providerBase)));

    [Theory]
    [InlineData("100.64.0.1", true)]
    [InlineData("172.16.5.4", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("93.184.216.34", false)]
    public void PrivateRanges(string address, bool isPrivate) => Assert.Equal(isPrivate, ImageUrlFetcher.IsPrivate(IPAddress.Parse(address)));
}
