using System.Security.Cryptography;
using ImageGen.Core.Imaging;
using NetVips;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Assets;

/// <summary>An uploaded image as it is kept: its place under the data folder (by content hash) and what it is.</summary>
public sealed record AssetFile(string Path, string ThumbnailPath, string Format, int Width, int Height, long Bytes, string Sha256, bool HasAlpha);

/// <summary>
/// Checks an uploaded image and keeps it: the real type from its bytes (PNG, JPEG or WebP; never the name), the byte
/// limit before anything is read and the pixel limit from the header before anything is decoded (<see cref="InputLimits"/>,
/// <see cref="ImageLimits"/>), every pixel decoded once so a cut-off file is refused, the EXIF orientation applied (the file
/// is then re-encoded upright), and the file stored as <c>assets/ab/&lt;sha256&gt;.&lt;ext&gt;</c> with a WebP thumbnail.
/// A refused upload leaves nothing behind. The uploaded name is kept only as a label, never as a path.
/// </summary>
public sealed class AssetIntake(DataRoot root)
{
    public const string Folder = "assets";

    /// <exception cref="ImageRejectedException">The upload is not an image we take; the message says why, naming it.</exception>
    public AssetFile Accept(byte[] upload, string uploadedName)
    {
        var what = $"'{Label(uploadedName)}'";
        var format = InputLimits.Check(upload, what);
        byte[] stored;
        int width, height;
        bool hasAlpha;
        try
        {
            // Size and declared dimensions first, from the header: a decompression bomb fails here, at once.
            using (ImageLimits.Open(upload, what))
            {
            }
            using var image = Image.NewFromBuffer(upload, failOn: Enums.FailOn.Truncated);
            var orientation = image.Contains("orientation") ? (int)image.Get("orientation") : 1;
            if (orientation is > 1 and <= 8)
            {
                using var upright = image.Autorot();
                stored = Encode(upright, format);
                (width, height, hasAlpha) = (upright.Width, upright.Height, upright.HasAlpha());
            }
            else
            {
                _ = image.Avg(); // every pixel decoded: a truncated file fails here
                stored = upload;
                (width, height, hasAlpha) = (image.Width, image.Height, image.HasAlpha());
            }
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException($"{what} is incomplete or damaged ({ImageLimits.Reason(e)}).", e);
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(stored));
        var folder = Path.Combine(root.Path, Folder, sha256[..2]);
        var file = Path.Combine(folder, $"{sha256}.{ImageFormats.Extension(format)}");
        var created = false;
        try
        {
            Directory.CreateDirectory(folder);
            if (!File.Exists(file))
            {
                var partial = $"{file}.{Guid.NewGuid():N}.partial";
                File.WriteAllBytes(partial, stored);
                File.Move(partial, file, overwrite: true);
                created = true;
            }
            var thumbnail = Thumbnails.Create(file, Path.Combine(folder, Thumbnails.Folder));
            return new AssetFile(root.ToRelative(file), root.ToRelative(thumbnail), format, width, height, stored.LongLength, sha256, hasAlpha);
        }
        catch (Exception e) when (e is VipsException or IOException)
        {
            if (created)
            {
                File.Delete(file);
            }
            throw new ImageRejectedException($"{what} could not be stored: {e.Message}", e);
        }
    }

    /// <summary>Removes an asset's file and thumbnail (when no other asset row shares the content).</summary>
    public void Delete(string path, string thumbnailPath)
    {
        foreach (var relative in new[] { path, thumbnailPath })
        {
            if (root.ResolveRelative(relative) is { } full && File.Exists(full))
            {
                try
                {
                    File.Delete(full);
                }
                catch (IOException)
                {
                    // Best effort: an orphaned file under assets/ is harmless; nothing lists it.
                }
            }
        }
    }

    private static byte[] Encode(Image image, string format) => format switch
    {
        ImageFormats.Png => image.PngsaveBuffer(compression: 6),
        ImageFormats.Webp => image.WebpsaveBuffer(q: 95),
        _ => image.JpegsaveBuffer(q: 95),
    };

    /// <summary>The uploaded name as a label: its last segment, without control characters, at most 200 characters.</summary>
    public static string Label(string? uploadedName)
    {
        var last = (uploadedName ?? "").Split('/', '\\').Last();
        var clean = new string(last.Where(ch => !char.IsControl(ch)).ToArray()).Trim();
        return clean.Length == 0 ? "upload" : clean.Length > 200 ? clean[..200] : clean;
    }
}
