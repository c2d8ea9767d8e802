using BenchmarkDotNet.Running;
using ImageGen.Bench;

// dotnet run -c Release --project bench/ImageGen.Bench -- queue|wake|visible|live|picks|png-levels|ingest|procedural|imaging|brand-check|seed
return args.FirstOrDefault() switch
{
    "queue" => await QueueThroughput.RunAsync(args.Skip(1).ToArray()),
    "wake" when !OperatingSystem.IsWindows() => await WakeLatency.RunAsync(args.Skip(1).ToArray()),
    "ingest" => await IngestCost.RunAsync(args.Skip(1).ToArray()),
    "png-levels" => await PngLevels.RunAsync(args.Skip(1).ToArray()),
    "picks" => await PickCost.RunAsync(args.Skip(1).ToArray()),
    "visible" => await VisibleLatency.RunAsync(args.Skip(1).ToArray()),
    "live" => await LiveLatency.RunAsync(args.Skip(1).ToArray()),
    "seed" => await Seeder.RunAsync(args.Skip(1).ToArray()),
    "procedural" => Run(() => BenchmarkRunner.Run<ProceduralBenchmarks>(args: args.Skip(1).ToArray())),
    "imaging" => Run(() => BenchmarkRunner.Run<ImagingBenchmarks>(args: args.Skip(1).ToArray())),
    "brand-check" => Run(() => BenchmarkRunner.Run<BrandCheckBenchmarks>(args: args.Skip(1).ToArray())),
    "imaging-input" => Run(() => { ImagingBenchmarks.WriteInput(); Console.WriteLine(ImagingBenchmarks.InputPath); }),
    _ => Usage(),
};

static int Run(Action action)
{
    action();
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: ImageGen.Bench queue [jobs] | wake [samples] | visible [samples] [label=repository-root ...] | live [samples] [postgres-server] | picks [candidates ...] | png-levels [samples] | ingest [samples] | procedural | imaging | brand-check | imaging-input | seed <data-dir> [work-items] [images]");
    return 2;
}
