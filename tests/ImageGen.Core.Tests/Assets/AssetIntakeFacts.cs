using ImageGen.Core.Assets;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using NetVips;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Assets;

/// <summary>Uploads are checked from their bytes and kept by content hash; whatever is refused leaves nothing behind.</summary>
public sealed class AssetIntakeFacts : IDisposable
{
    private readonly TempDirectory _dir = new("assets");
    private readonly DataRoot _root;
    private readonly AssetIntake _intake;

    public AssetIntakeFacts()
    {
        _root = new DataRoot(_dir.Path);
        _root.EnsureCreated();
        _intake = new AssetIntake(_root);
    }

    public void Dispose() => _dir.Dispose();

    private int FilesUnderAssets => Directory.Exists(Path.Combine(_root.Path, AssetIntake.Folder))
        ? Directory.EnumerateFiles(Path.Combine(_root.Path, AssetIntake.Folder), "*", SearchOption.AllDirectories).Count()
        : 0;

    private static byte[] Png(int width, int height) =>
        ImageEncoder.EncodeRgb(ProceduralRenderer.Render("asset #c2410c #1c1917", 1, width, height), width, height, ImageFormats.Png, null);

    [Fact]
    public void APng_IsStoredByItsHash_WithAThumbnail_NeverByItsName()
    {
        var bytes = Png(120, 80);

        var file = _intake.Accept(bytes, "../../etc/passwd.png");

        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        Assert.Equal($"assets/{sha[..2]}/{sha}.png", file.Path);
        Assert.Equal($"assets/{sha[..2]}/thumbs/{sha}.webp", file.ThumbnailPath);
        Assert.Equal((ImageFormats.Png, 120, 80, bytes.LongLength, sha, false), (file.Format, file.Width, file.Height, file.Bytes, file.Sha256, file.HasAlpha));
        Assert.Equal(bytes, File.ReadAllBytes(_root.ResolveRelative(file.Path)!));
        Assert.True(File.Exists(_root.ResolveRelative(file.ThumbnailPath)));
        Assert.Equal("passwd.png", AssetIntake.Label("../../etc/passwd.png"));

        // The same content again is the same file: nothing new is written.
        Assert.Equal(file, _intake.Accept(bytes, "copy.png"));
        Assert.Equal(2, FilesUnderAssets);
    }

    public static TheoryData<string, byte[], string> Refused => new()
    {
        { "text named .png", "hello, I am not an image"u8.ToArray(), "'upload.png' is a text file, not a PNG, JPEG or WebP image." },
        { "GIF", "GIF89a\x01\x00\x01\x00\x00\x00\x00;"u8.ToArray(), "'upload.png' is a GIF image, not a PNG, JPEG or WebP image." },
        { "empty", [], "'upload.png' is empty, not a PNG, JPEG or WebP image." },
        { "bomb", HostileImages.DecompressionBomb(100_000, 100_000), "'upload.png' declares 100000×100000 pixels" },
        { "truncated", HostileImages.Truncated(HostileImages.NoisyPng(300, 300)), "'upload.png' is incomplete or damaged" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void ABadUpload_IsRefusedWithAMessage_AndLeavesNothingBehind(string kind, byte[] upload, string message)
    {
        var refused = Assert.Throws<ImageRejectedException>(() => _intake.Accept(upload, "upload.png"));

        Assert.True(refused.Message.StartsWith(message, StringComparison.Ordinal), $"{kind}: {refused.Message}");
        Assert.Equal(0, FilesUnderAssets);
    }

    [Fact]
    public void AnOversizeUpload_IsRefusedBeforeItIsRead_AndLeavesNothingBehind()
    {
        var refused = Assert.Throws<ImageRejectedException>(() => _intake.Accept(new byte[InputLimits.MaxBytes + 1], "huge.png"));

        Assert.Equal("'huge.png' is 20 MiB; the limit is 20 MiB.", refused.Message);
        Assert.Equal(0, FilesUnderAssets);
    }

    [Fact]
    public void TheLimitIsTheOneTheDocsGive()
    {
        Assert.Equal(20L * 1024 * 1024, InputLimits.MaxBytes);
        Assert.Contains("up to 20 MiB and 50 megapixels", File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "SECURITY.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void AJpegWithExifOrientation_IsStoredUpright()
    {
        // 60 wide, 40 high as stored; orientation 6 says "rotate 90° clockwise to view": upright it is 40×60.
        using var image = Image.NewFromMemory(ProceduralRenderer.Render("exif", 2, 60, 40), 60, 40, 3, Enums.BandFormat.Uchar);
        using var tagged = image.Mutate(m => m.Set(GValue.GIntType, "orientation", 6));
        var jpeg = tagged.JpegsaveBuffer(q: 90);

        var file = _intake.Accept(jpeg, "phone.jpg");

        Assert.Equal((ImageFormats.Jpeg, 40, 60), (file.Format, file.Width, file.Height));
        using var stored = Image.NewFromFile(_root.ResolveRelative(file.Path)!);
        Assert.Equal((40, 60), (stored.Width, stored.Height));
        Assert.True(!stored.Contains("orientation") || (int)stored.Get("orientation") == 1);
    }
}
