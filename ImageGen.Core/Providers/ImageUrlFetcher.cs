using System.Net;
using System.Net.Sockets;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>
/// Fetches an image URL a provider answered with, as hostile input: only http and https; never an address on this
/// machine or its private network (loopback, RFC 1918, link-local, unique-local, CGNAT) unless the provider itself is
/// on one (a self-hosted server on localhost or the LAN); at most <see cref="ImageLimits.MaxBytes"/>. The address is
/// checked when the connection is made, so neither a redirect nor a DNS answer that changes can lead elsewhere.
/// </summary>
public sealed class ImageUrlFetcher : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _allowPrivate;

    /// <param name="providerBase">The provider's own base URL: when it is local, local image URLs are allowed too.</param>
    public ImageUrlFetcher(Uri providerBase, TimeSpan timeout)
    {
        _allowPrivate = IsPrivateHost(providerBase);
        var handler = new SocketsHttpHandler
        {
            MaxAutomaticRedirections = 3,
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = timeout, MaxResponseContentBufferSize = ImageLimits.MaxBytes };
    }

    public async Task<byte[]> FetchAsync(string provider, Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme is not ("http" or "https"))
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{provider} answered an image URL with the scheme '{url.Scheme}'; only http and https URLs are fetched.");
        }
        try
        {
            return await _http.GetByteArrayAsync(url, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is RefusedAddressException refused)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{provider} answered an image URL on {refused.Address}, an address on this machine or its private network; it was not fetched.");
        }
        catch (HttpRequestException e) when (e.Message.Contains("buffer", StringComparison.OrdinalIgnoreCase))
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{provider} answered an image larger than the {ImageLimits.MaxBytes / (1024 * 1024)} MiB limit.");
        }
        catch (HttpRequestException e)
        {
            var transient = e.StatusCode is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int?)e.StatusCode >= 500;
            throw new ImageGenException(transient ? ErrorKind.Transient : ErrorKind.Permanent, $"{provider} returned an image URL that could not be fetched: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageGenException(ErrorKind.Transient, $"{provider}'s image URL did not answer within {_http.Timeout.TotalSeconds:0} s.", inner: e);
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        if (!_allowPrivate && addresses.FirstOrDefault(IsPrivate) is { } refused)
        {
            throw new RefusedAddressException(refused);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsPrivateHost(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IsPrivate(address));

    /// <summary>Loopback, unspecified, private (10/8, 172.16/12, 192.168/16, 100.64/10 CGNAT), link-local, unique-local IPv6.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        }
        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }

    public void Dispose() => _http.Dispose();

    private sealed class RefusedAddressException(IPAddress address) : IOException($"{address} is on this machine or its private network.")
    {
        public IPAddress Address { get; } = address;
    }
}
