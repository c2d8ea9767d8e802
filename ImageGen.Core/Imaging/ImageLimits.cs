using NetVips;

namespace ImageGen.Core.Imaging;

/// <summary>Why an image was refused: too large, not an image, or cut off. The message is for people.</summary>
public sealed class ImageRejectedException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// The limits every decode enforces (provider answers, <c>imagegen convert</c> inputs, the worker's ingest, thumbnails and
/// any future upload), checked on the bytes and the header before a pixel is decoded, so a small file that declares a
/// huge image fails at once in bounded memory. Loads fail on truncated data rather than filling the rest with black.
/// </summary>
public static class ImageLimits
{
    /// <summary>An encoded image larger than this is refused before it is read: 64 MiB.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>Decoded size limit: 50 megapixels (about 200 MB of RGBA), well above the 4096×4096 the models make.</summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>Longest side accepted: 16384 pixels.</summary>
    public const int MaxSide = 16_384;

    public static string Describe => $"{MaxBytes / (1024 * 1024)} MiB, {MaxPixels / 1_000_000} megapixels, {MaxSide} pixels a side";

    /// <summary>Opens encoded bytes for decoding after checking their size and the header's dimensions.</summary>
    public static Image Open(byte[] data, string what)
    {
        CheckBytes(data.LongLength, what);
        return Load(() => Image.NewFromBuffer(data, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated), what);
    }

    /// <summary>Opens a file for decoding after checking its size and the header's dimensions.</summary>
    public static Image OpenFile(string path, string what)
    {
        CheckFileSize(path, what);
        return Load(() => Image.NewFromFile(path, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated), what);
    }

    private static Image Load(Func<Image> open, string what)
    {
        Image image;
        try
        {
            image = open();
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException($"{what} is not a readable image ({Reason(e)}).", e);
        }
        return Checked(image, what);
    }

    private static void CheckBytes(long length, string what)
    {
        if (length > MaxBytes)
        {
            throw new ImageRejectedException($"{what} is {length / (1024.0 * 1024):0.#} MiB; the limit is {MaxBytes / (1024 * 1024)} MiB.");
        }
    }

    public static void CheckFileSize(string path, string what) => CheckBytes(new FileInfo(path).Length, what);

    /// <summary>Checks declared dimensions against the limits (call before any pixel work).</summary>
    public static void CheckDimensions(int width, int height, string what)
    {
        if (width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
        {
            throw new ImageRejectedException(
                $"{what} declares {width}×{height} pixels ({(long)width * height / 1_000_000.0:0.#} megapixels); the limit is {MaxPixels / 1_000_000} megapixels and {MaxSide} pixels a side.");
        }
    }

    /// <summary>libvips' first line, without its loader prefix.</summary>
    public static string Reason(VipsException e)
    {
        var line = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => !l.StartsWith("unable to call", StringComparison.Ordinal)) ?? e.Message;
        return line.Trim().TrimEnd('.');
    }

    private static Image Checked(Image image, string what)
    {
        try
        {
            CheckDimensions(image.Width, image.Height, what);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }
}
