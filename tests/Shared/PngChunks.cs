using System.Buffers.Binary;
using System.Text;

namespace ImageGen.Testing;

/// <summary>PNG files with a chunk added, as a provider's signed file carries its C2PA manifest (<c>caBX</c>).</summary>
public static class PngChunks
{
    /// <summary>A copy of <paramref name="png"/> with a chunk of <paramref name="type"/> holding <paramref name="payload"/> right after IHDR.</summary>
    public static byte[] With(byte[] png, string type, byte[] payload)
    {
        var ihdrEnd = 8 + 12 + (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(8));
        var chunk = new byte[12 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)payload.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4, 4));
        payload.CopyTo(chunk, 8);
        var crc = Crc32(chunk.AsSpan(4, 4 + payload.Length));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + payload.Length), crc);
        return [.. png.AsSpan(0, ihdrEnd), .. chunk, .. png.AsSpan(ihdrEnd)];
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}
