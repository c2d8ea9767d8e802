using ImageGen.Cli;

WorkerWatch.StartIfAsked(Console.Error);
var telemetry = CliTelemetry.Start();
try
{
    return await CliApp.RunAsync(args, Console.Out, Console.Error);
}
finally
{
    CliTelemetry.Stop(telemetry);
}
