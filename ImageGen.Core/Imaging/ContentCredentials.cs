using System.Buffers.Binary;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Imaging;

/// <summary>
/// Whether a file carries a C2PA manifest (Content Credentials) where each format keeps one: a PNG <c>caBX</c> chunk, a
/// JPEG APP11 segment holding a JUMBF box labelled <c>c2pa</c>, a WebP <c>C2PA</c> chunk. Such a file is signed over its
/// bytes, so it is stored exactly as received: any chunk added or rewritten would break the signature.
/// </summary>
public static class ContentCredentials
{
    public static bool IsPresent(ReadOnlySpan<byte> data) => ImageSniffer.FormatOf(data) switch
    {
        ImageFormats.Png => PngHasChunk(data, "caBX"u8),
        ImageFormats.Jpeg => JpegHasC2paSegment(data),
        ImageFormats.Webp => WebpHasChunk(data, "C2PA"u8),
        _ => false,
    };

    private static bool PngHasChunk(ReadOnlySpan<byte> data, ReadOnlySpan<byte> type)
    {
        var at = 8; // signature
        while (at + 8 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
            if (data.Slice(at + 4, 4).SequenceEqual(type))
            {
                return true;
            }
            if (data.Slice(at + 4, 4).SequenceEqual("IEND"u8) || length > int.MaxValue - 12)
            {
                return false;
            }
            at += 12 + (int)length;
        }
        return false;
    }

    private static bool JpegHasC2paSegment(ReadOnlySpan<byte> data)
    {
        var at = 2; // SOI
        while (at + 4 <= data.Length && data[at] == 0xFF)
        {
            var marker = data[at + 1];
            if (marker is 0xDA or 0xD9)
            {
                return false; // image data begins: metadata segments come before it
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
            if (marker == 0xEB && at + 2 + length <= data.Length && data.Slice(at + 4, length - 2).IndexOf("c2pa"u8) >= 0)
            {
                return true;
            }
            at += 2 + length;
        }
        return false;
    }

    private static bool WebpHasChunk(ReadOnlySpan<byte> data, ReadOnlySpan<byte> type)
    {
        var at = 12; // RIFF size WEBP
        while (at + 8 <= data.Length)
        {
            if (data.Slice(at, 4).SequenceEqual(type))
            {
                return true;
            }
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 4)..]);
            if (length > int.MaxValue - 9)
            {
                return false;
            }
            at += 8 + (int)length + (int)(length & 1);
        }
        return false;
    }
}
