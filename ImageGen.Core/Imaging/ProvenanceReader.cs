using System.Text;
using NetVips;

namespace ImageGen.Core.Imaging;

/// <summary>One piece of metadata found in an image file.</summary>
public sealed record EmbeddedField(string Name, string Value);

/// <summary>Reads back what an image file says about how it was made: PNG text chunks (tEXt, zTXt, iTXt) and XMP.</summary>
public static class ProvenanceReader
{
    private const int MaxValueLength = 64_000;

    public static IReadOnlyList<EmbeddedField> Read(string path)
    {
        using var image = ImageLimits.OpenFile(path, Path.GetFileName(path));
        var fields = new List<EmbeddedField>();
        foreach (var name in image.GetFields())
        {
            if (name.StartsWith("png-comment-", StringComparison.Ordinal))
            {
                // png-comment-<n>-<keyword>
                var keyword = name.Split('-', 4) is { Length: 4 } parts ? parts[3] : name;
                fields.Add(new EmbeddedField($"PNG text: {keyword}", Limit((string)image.Get(name))));
            }
            else if (name == "xmp-data")
            {
                fields.Add(new EmbeddedField("XMP", Limit(Encoding.UTF8.GetString((byte[])image.Get(name)))));
            }
        }
        return fields;
    }

    private static string Limit(string value) => value.Length <= MaxValueLength ? value : value[..MaxValueLength] + "…";
}
