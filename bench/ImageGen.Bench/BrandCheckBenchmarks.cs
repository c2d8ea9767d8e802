using BenchmarkDotNet.Attributes;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Imaging;

namespace ImageGen.Bench;

/// <summary>
/// What the brand check adds to ingest, per 1024×1024 candidate: the 768 px thumbnail ingest already makes (the yardstick
/// the issue set), the checks alone on that thumbnail in memory (palette, avoided colour, background, aspect), and with a
/// logo looked for too. The same offline-model PNG as <see cref="ImagingBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class BrandCheckBenchmarks
{
    private const string Guide = """
        Colours #c2410c #1c1917 #fef3c7.

        ## Rules
        - Avoid: #00ff00
        - Background: solid
        - Aspect: 1:1
        - Logo: required
        """;

    private NetVips.Image _thumbnail = null!;
    private BrandCheckContext _rules = null!;
    private BrandCheckContext _rulesAndLogo = null!;
    private LogoTemplate _logo = null!;
    private string _output = "";

    [GlobalSetup]
    public void Setup()
    {
        if (!File.Exists(ImagingBenchmarks.InputPath))
        {
            ImagingBenchmarks.WriteInput();
        }
        _output = Path.Combine(Path.GetTempPath(), $"imagegen-bench-brand-{Environment.ProcessId}");
        Directory.CreateDirectory(_output);
        using (var source = NetVips.Image.Thumbnail(ImagingBenchmarks.InputPath, Thumbnails.LongSide))
        {
            _thumbnail = source.CopyMemory();
        }
        var logoPath = Path.Combine(_output, "logo.png");
        using (var plate = NetVips.Image.Black(240, 160, bands: 4).Copy(interpretation: NetVips.Enums.Interpretation.Srgb))
        using (var logo = plate.Mutate(m =>
               {
                   m.DrawRect([20, 40, 110, 255], 20, 10, 200, 140, fill: true);
                   m.DrawCircle([255, 255, 255, 255], 80, 80, 45, fill: true);
                   m.DrawRect([250, 150, 20, 255], 140, 50, 60, 60, fill: true);
               }))
        {
            logo.Cast(NetVips.Enums.BandFormat.Uchar).WriteToFile(logoPath);
        }
        _logo = LogoTemplate.Load(logoPath, "logo.png");
        var rules = BrandRules.Parse(Guide);
        _rules = new BrandCheckContext(rules, "other", [], 1);
        _rulesAndLogo = new BrandCheckContext(rules, "other", [_logo], 1);
        BrandChecker.Check(_thumbnail, 1024, 1024, _rulesAndLogo); // the logo's templates for this size, as the first candidate of a job makes them
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _thumbnail.Dispose();
        _logo.Dispose();
        Directory.Delete(_output, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public string Thumbnail768() => Thumbnails.Create(ImagingBenchmarks.InputPath, _output);

    [Benchmark]
    public BrandVerdict Checks() => BrandChecker.Check(_thumbnail, 1024, 1024, _rules).Verdict;

    [Benchmark]
    public BrandVerdict ChecksWithLogo() => BrandChecker.Check(_thumbnail, 1024, 1024, _rulesAndLogo).Verdict;
}
