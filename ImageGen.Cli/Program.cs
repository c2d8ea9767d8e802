using ImageGen.Cli;

using var telemetry = CliTelemetry.Start();
return await CliApp.RunAsync(args, Console.Out, Console.Error);
