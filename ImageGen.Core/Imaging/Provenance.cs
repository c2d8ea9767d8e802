using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using ImageGen.Core.Generation;

namespace ImageGen.Core.Imaging;

/// <summary>How an image was made, embedded in the file and written to the run's sidecar.</summary>
/// <param name="Seed">The seed that made the image; null when the model takes none (then <see cref="SeedNote"/> says so).</param>
public sealed record Provenance(string Prompt, string Model, long? Seed, int Width, int Height, string Format, string Generator)
{
    /// <summary>The IPTC digital source type of every generated file: made by a trained model.</summary>
    public const string TrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    /// <summary>"seed not supported" when the model takes no seed, instead of a number that would not reproduce it.</summary>
    public string? SeedNote => Seed is null ? "seed not supported" : null;

    /// <summary>Sampling steps and sampler, only for models that have them (AUTOMATIC1111-style servers).</summary>
    public int? Steps { get; init; }
    public string? Sampler { get; init; }

    /// <summary>SHA-256 of each reference image sent, in order.</summary>
    public IReadOnlyList<string>? References { get; init; }

    /// <summary>SHA-256 of the source image (image-to-image), when there was one.</summary>
    public string? Source { get; init; }

    /// <summary>SHA-256 of the mask, when there was one.</summary>
    public string? Mask { get; init; }

    /// <summary>The background asked for, when not the model's default.</summary>
    public string? Background { get; init; }

    /// <summary>The quality asked for, when not the model's default.</summary>
    public string? Quality { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ImagingJsonContext.Plain.Provenance);

    /// <summary>
    /// The AUTOMATIC1111 <c>parameters</c> text that galleries and "PNG info" readers understand, with only the values
    /// that were real for this model: steps and sampler when it has them, the seed when it took one.
    /// </summary>
    public string ToA1111Parameters()
    {
        var fields = new List<string>();
        if (Steps is { } steps)
        {
            fields.Add(string.Create(CultureInfo.InvariantCulture, $"Steps: {steps}"));
        }
        if (Sampler is { } sampler)
        {
            fields.Add($"Sampler: {sampler}");
        }
        if (Seed is { } seed)
        {
            fields.Add(string.Create(CultureInfo.InvariantCulture, $"Seed: {seed}"));
        }
        fields.Add(string.Create(CultureInfo.InvariantCulture, $"Size: {Width}x{Height}"));
        fields.Add($"Model: {Model}");
        fields.Add($"Version: {Generator}");
        return $"{Prompt}\n{string.Join(", ", fields)}";
    }

    /// <summary>An XMP packet with the prompt as <c>dc:description</c> and the full record as JSON.</summary>
    public byte[] ToXmp()
    {
        XNamespace x = "adobe:ns:meta/";
        XNamespace rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        XNamespace dc = "http://purl.org/dc/elements/1.1/";
        XNamespace xmp = "http://ns.adobe.com/xap/1.0/";
        XNamespace imagegen = "urn:imagegen:provenance:1";
        XNamespace iptcExt = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
        var description = new XElement(rdf + "Description",
            new XAttribute(rdf + "about", ""),
            new XAttribute(XNamespace.Xmlns + "dc", dc),
            new XAttribute(XNamespace.Xmlns + "xmp", xmp),
            new XAttribute(XNamespace.Xmlns + "imagegen", imagegen),
            new XAttribute(XNamespace.Xmlns + "Iptc4xmpExt", iptcExt),
            new XElement(xmp + "CreatorTool", Generator),
            new XElement(iptcExt + "DigitalSourceType", TrainedAlgorithmicMedia),
            new XElement(dc + "description",
                new XElement(rdf + "Alt", new XElement(rdf + "li", new XAttribute(XNamespace.Xml + "lang", "x-default"), Prompt))),
            new XElement(imagegen + "provenance", ToJson()));
        var document = new XElement(x + "xmpmeta",
            new XAttribute(XNamespace.Xmlns + "x", x),
            new XElement(rdf + "RDF", new XAttribute(XNamespace.Xmlns + "rdf", rdf), description));
        var packet = $"<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>{document.ToString(SaveOptions.DisableFormatting)}<?xpacket end=\"w\"?>";
        return System.Text.Encoding.UTF8.GetBytes(packet);
    }
}
