using System.Diagnostics;
using System.Globalization;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using NetVips;
using ImageGen.Core.Spec;
using ImageGen.Core.Providers;

namespace ImageGen.Bench;

/// <summary>
/// The PNG compression level of the CLI's output: one offline 1024×1024 image (rendered once), encoded at each zlib
/// level 20 times (after 3 warm-ups); mean time and size, beside the time the render itself took.
/// <c>png-levels [samples]</c>.
/// </summary>
internal static class PngLevels
{
    public static async Task<int> RunAsync(string[] args)
    {
        var samples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var model = new OfflineProceduralModel();
        var request = new ModelRequest("a hero banner #1144aa #ffcc00 with soft shapes", new ImageSize(1024, 1024), ImageFormats.Png, 1, 42);
        await model.GenerateAsync(request, CancellationToken.None);
        var render = Stopwatch.StartNew();
        var answer = await model.GenerateAsync(request, CancellationToken.None);
        render.Stop();
        using var image = Image.NewFromBuffer(answer.Images[0].Bytes);
        using var pixels = image.Copy();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"render + encode at the current level: {render.Elapsed.TotalMilliseconds:F1} ms"));
        foreach (var level in new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })
        {
            byte[] bytes = [];
            for (var i = 0; i < 3; i++)
            {
                bytes = pixels.PngsaveBuffer(compression: level);
            }
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < samples; i++)
            {
                bytes = pixels.PngsaveBuffer(compression: level);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"level {level}: {clock.Elapsed.TotalMilliseconds / samples,6:F1} ms, {bytes.Length,9:N0} bytes"));
        }
        return 0;
    }
}
