using System.Diagnostics;
using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using ImageGen.Core;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Bench;

/// <summary>
/// The worker's part between the CLI's exit and the run's rows: <see cref="RunIngest.StoreAsync"/> on a folder the
/// published CLI wrote (probe, hash, thumbnail, rename into images/). The CLI runs once per count; its folder is copied
/// afresh for each of the samples (after 2 warm-ups). <c>ingest [samples] [background]</c>, counts 1 and 4, 1024×1024 PNG;
/// <c>transparent</c> asks the model for a transparent background and ingest to check each file's alpha.
/// </summary>
internal static class IngestCost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var samples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var background = args.Length > 1 ? args[1] : Backgrounds.Auto;
        var cli = Path.Combine(Path.GetDirectoryName(BenchPaths.Dll("ImageGen.Worker", "ImageGen.Worker"))!, "cli", "imagegen");
        foreach (var count in new[] { 1, 4 })
        {
            var template = BenchPaths.NewDataDirectory($"ingest-template-{count}");
            var generated = await Cli.Wrap(cli)
                .WithArguments(["generate", "--prompt", "a lighthouse #224466 #f0c040", "--seed", "7", "--count", count.ToString(CultureInfo.InvariantCulture), "--background", background, "--out", template, "--json"])
                .ExecuteBufferedAsync();
            var manifest = CliReport.Parse(generated.StandardOutput).Manifest!;
            var root = new DataRoot(BenchPaths.NewDataDirectory($"ingest-{count}"));
            var ingest = new RunIngest(new LocalImageStore(root));
            var timings = new List<double>();
            for (var i = 0; i < samples + 2; i++)
            {
                var folder = Path.Combine(root.Path, "tmp", $"job-{i}");
                Directory.CreateDirectory(folder);
                foreach (var file in Directory.GetFiles(template))
                {
                    File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
                }
                var started = Stopwatch.GetTimestamp();
                await ingest.StoreAsync(manifest, folder, new RunPlace("p", "w", i), background);
                if (i >= 2)
                {
                    timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            timings.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count} image(s), background {background}: ingest p50 {timings[timings.Count / 2]:F1} ms (min {timings[0]:F1}, max {timings[^1]:F1}; n={samples})"));
        }
        return 0;
    }
}
