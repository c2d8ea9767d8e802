using BenchmarkDotNet.Attributes;
using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Bench;

/// <summary>offline/procedural: one 1024×1024 image, rendered and encoded with provenance (target ≤ 150 ms for PNG).</summary>
[MemoryDiagnoser]
// In-process: a separate benchmark build would redirect every project into one OutDir.
[InProcess]
public class ProceduralBenchmarks
{
    private readonly OfflineProceduralModel _model = new();

    [Params("png", "jpeg", "webp")]
    public string Format { get; set; } = "png";

    [Benchmark]
    public async Task<int> Generate1024() =>
        (await _model.GenerateAsync(new ModelRequest("a hero banner #1144aa #ffcc00 with soft shapes", new ImageSize(1024, 1024), Format, 1, 42), CancellationToken.None)).Images[0].Bytes.Length;
}
