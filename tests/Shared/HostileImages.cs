using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ImageGen.Testing;

/// <summary>
/// PNG files written byte by byte (no image library), so tests can make what no encoder would: a tiny file that
/// declares a huge image, and a real one cut off part-way.
/// </summary>
public static class HostileImages
{
    /// <summary>A valid RGB PNG of noise (so it compresses badly and truncation lands in pixel data).</summary>
    public static byte[] NoisyPng(int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        var raw = new byte[height * (1 + width * 3)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + width * 3);
            raw[row] = 0; // filter: none
            random.NextBytes(raw.AsSpan(row + 1, width * 3));
        }
        return Png(width, height, Compress(raw));
    }

    /// <summary>A PNG of a few hundred bytes whose header declares <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] DecompressionBomb(int width, int height) => Png(width, height, Compress(new byte[1 + 3 * 16]));

    /// <summary>The first <paramref name="fraction"/> of a file, as a dropped connection leaves it.</summary>
    public static byte[] Truncated(byte[] file, double fraction = 0.5) => file[..(int)(file.Length * fraction)];

    private static byte[] Compress(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }
        return output.ToArray();
    }

    private static byte[] Png(int width, int height, byte[] idat)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", idat);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
